/**
 * The tools that consume vprov's reports, as tests call them: promtool (Debian's prometheus),
 * junitparser (Debian's python3-junitparser, run by the system python3) and Chromium (Debian's
 * chromium) for HTML. .ci/run installs them; tests use `prerequisite` with `havePromtool` /
 * `haveJunitparser` / `chromium`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const havePromtool = spawnSync('promtool', ['--version']).status === 0;
export const haveJunitparser = spawnSync('/usr/bin/python3', ['-c', 'import junitparser']).status === 0;

/** `promtool check metrics` on a textfile: its exit status and everything it said. */
export function promtoolCheck(text: string): { status: number | null; output: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: r.status, output: r.stdout + r.stderr };
}

export interface JunitCase {
  classname: string;
  name: string;
  result: 'passed' | 'failure' | 'error' | 'skipped';
  message: string | null;
  text: string | null;
}
export interface JunitSuite {
  name: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: number;
  cases: JunitCase[];
}

const READ_JUNIT = `
import sys, json
from junitparser import JUnitXml
out = []
for suite in JUnitXml.fromfile(sys.argv[1]):
    cases = [{"classname": c.classname, "name": c.name,
              "result": type(c.result[0]).__name__.lower() if c.result else "passed",
              "message": c.result[0].message if c.result else None,
              "text": c.result[0].text if c.result else None} for c in suite]
    out.append({"name": suite.name, "tests": suite.tests, "failures": suite.failures, "errors": suite.errors, "skipped": suite.skipped, "time": suite.time, "cases": cases})
print(json.dumps(out))
`;

/** The suites of a JUnit file as junitparser reads them; throws with python's error when it cannot. */
export function readJunit(file: string): JunitSuite[] {
  const r = spawnSync('/usr/bin/python3', ['-c', READ_JUNIT, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`junitparser cannot read ${file}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Chromium's path, or undefined when it is not installed. */
export const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/**
 * Headless Chromium on a local file, with a fresh profile and nothing fetched in the background:
 * `args` say what to do (`--dump-dom`, `--screenshot=PNG`, `--print-to-pdf=PDF`, a window size).
 * Returns what it printed on stdout (the DOM for --dump-dom).
 */
export function headlessChromium(file: string, ...args: string[]): string {
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    `--user-data-dir=${mkdtempSync(join(tmpdir(), 'vprov-chrome-'))}`,
  ];
  return execFileSync(chromium!, [...flags, ...args, `file://${file}`], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] });
}
