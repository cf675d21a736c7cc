// The closing line of `npm test`: "N passed, N failed[, N skipped]" from vitest's JSON report.
// A file whose hook or import failed counts as failed — its tests that never ran count one
// each, or the file counts once when it has none — so a broken beforeAll is never "0 failed".
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * @param {{ numPassedTests: number, numFailedTests: number, numPendingTests: number, numTodoTests: number,
 *   testResults: { name: string, status: string, message?: string, assertionResults: { status: string }[] }[] }} report
 * @returns {{ passed: number, failed: number, skipped: number, problems: string[] }}
 */
export function summarize(report) {
  let failed = report.numFailedTests;
  let skipped = report.numPendingTests + report.numTodoTests;
  const problems = [];
  for (const file of report.testResults) {
    if (file.status !== 'failed' || !file.message) continue;
    const notRun = file.assertionResults.filter((a) => a.status !== 'passed' && a.status !== 'failed').length;
    failed += Math.max(1, notRun);
    skipped -= notRun;
    problems.push(`${file.name}: ${file.message.split('\n')[0]}`);
  }
  return { passed: report.numPassedTests, failed, skipped, problems };
}

/** The plain line CI reads. */
export function closingLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  const file = process.argv[2];
  let summary;
  try {
    summary = summarize(JSON.parse(readFileSync(file, 'utf8')));
  } catch (err) {
    summary = { passed: 0, failed: 1, skipped: 0, problems: [`no test report (${err.message})`] };
  }
  for (const p of summary.problems) console.error(`failed outside a test: ${p}`);
  if (summary.passed + summary.failed === 0) {
    console.error('no test ran');
    summary.failed = 1;
  }
  console.log(closingLine(summary));
  process.exitCode = summary.failed > 0 ? 1 : 0;
}
