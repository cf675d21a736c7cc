/**
 * The tools that consume vprov's reports, as tests call them: promtool (Debian's prometheus)
 * and junitparser (Debian's python3-junitparser, run by the system python3). .ci/run installs
 * both; tests use `prerequisite` with `havePromtool` / `haveJunitparser`.
 */
import { spawnSync } from 'node:child_process';

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
