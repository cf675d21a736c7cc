export interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; status: string; message?: string; assertionResults: { status: string }[] }[];
}
export interface Summary {
  passed: number;
  failed: number;
  skipped: number;
  problems: string[];
}
export function summarize(report: VitestJson): Summary;
export function closingLine(summary: Summary): string;
