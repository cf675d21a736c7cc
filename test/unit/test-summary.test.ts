/**
 * scripts/test.sh's closing line, from a real vitest JSON report of files whose hook or import
 * fails: they count as failed (vitest itself calls their tests "skipped" and counts 0 failed).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { closingLine, summarize } from '../../scripts/test-summary.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = join(ROOT, 'test/fixtures/vitest-summary');
const SCRIPT = join(ROOT, 'scripts/test-summary.js');

describe('npm test closing line', () => {
  it('a failed beforeAll and a failed import count as failed, not skipped', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vprov-summary-')), 'report.json');
    const run = spawnSync(join(ROOT, 'node_modules/.bin/vitest'), ['run', '--root', FIXTURES, '--reporter=json', `--outputFile.json=${out}`], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(1);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect([report.numPassedTests, report.numFailedTests]).toEqual([1, 1]); // what vitest counts
    const summary = summarize(report);
    expect(closingLine(summary)).toBe('1 passed, 4 failed, 1 skipped'); // 1 test + 2 never run + 1 file
    expect(summary.problems.join('\n')).toMatch(/hook\.test\.js: .*docker is not reachable/);
    expect(summary.problems.join('\n')).toMatch(/import\.test\.js: .*no-such-module/);
    const cli = spawnSync('node', [SCRIPT, out], { encoding: 'utf8' });
    expect(cli.stdout).toBe('1 passed, 4 failed, 1 skipped\n');
    expect(cli.status).toBe(1);
  });

  it('nothing ran, or no report at all, is a failure with the plain line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-summary-'));
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, JSON.stringify({ numPassedTests: 0, numFailedTests: 0, numPendingTests: 3, numTodoTests: 0, testResults: [] }));
    const none = spawnSync('node', [SCRIPT, empty], { encoding: 'utf8' });
    expect([none.status, none.stdout]).toEqual([1, '0 passed, 1 failed, 3 skipped\n']);
    expect(none.stderr).toMatch(/no test ran/);
    const missing = spawnSync('node', [SCRIPT, join(dir, 'absent.json')], { encoding: 'utf8' });
    expect([missing.status, missing.stdout]).toEqual([1, '0 passed, 1 failed\n']);
    expect(missing.stderr).toMatch(/no test report/);
  });

  it('all green exits 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-summary-'));
    const ok = join(dir, 'ok.json');
    writeFileSync(
      ok,
      JSON.stringify({
        numPassedTests: 5,
        numFailedTests: 0,
        numPendingTests: 0,
        numTodoTests: 0,
        testResults: [{ name: 'a', status: 'passed', message: '', assertionResults: [] }],
      }),
    );
    expect(execFileSync('node', [SCRIPT, ok], { encoding: 'utf8' })).toBe('5 passed, 0 failed\n');
  });

  it('a missing prerequisite is a skip outside CI and a failure naming it under CI=true', () => {
    const run = (ci: string) => {
      const out = join(mkdtempSync(join(tmpdir(), 'vprov-prereq-')), 'report.json');
      const env = { ...process.env, CI: ci };
      spawnSync(
        join(ROOT, 'node_modules/.bin/vitest'),
        ['run', '--root', join(ROOT, 'test/fixtures/prerequisite'), '--reporter=json', `--outputFile.json=${out}`],
        { encoding: 'utf8', env, timeout: 120_000 },
      );
      const report = JSON.parse(readFileSync(out, 'utf8'));
      const failures = report.testResults.flatMap((f: { assertionResults: { status: string; failureMessages: string[] }[] }) =>
        f.assertionResults.filter((a) => a.status === 'failed').flatMap((a) => a.failureMessages),
      );
      return { line: closingLine(summarize(report)), failures: failures.join('\n') };
    };
    expect(run('')).toEqual({ line: '0 passed, 0 failed, 1 skipped', failures: '' });
    const ci = run('true');
    expect(ci.line).toBe('0 passed, 1 failed, 1 skipped');
    expect(ci.failures).toMatch(/frobnicator is missing \(apt-get install frobnicator\); CI=true does not skip tests/);
  });
});
