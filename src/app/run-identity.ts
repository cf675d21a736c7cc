/** Who runs vprov, from where, as which version: the lock owner on hosts, last-apply.json and the audit log. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';

export interface RunIdentity {
  runId: string;
  controller: string;
  user: string;
  pid: number;
  version: string;
  startedAt: string;
  command: string;
}

export function newRunId(): string {
  return randomBytes(6).toString('hex');
}

let version: string | undefined;

/** package.json sits two levels above both src/app and dist/app. */
export function vprovVersion(): string {
  if (version === undefined) {
    try {
      version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? 'unknown';
    } catch {
      version = 'unknown';
    }
  }
  return version;
}

export function currentRun(command: string): RunIdentity {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry for this uid (containers): keep "unknown"
  }
  return { runId: newRunId(), controller: hostname(), user, pid: process.pid, version: vprovVersion(), startedAt: new Date().toISOString(), command };
}

/** "controller/pid since time": what a run waiting for the host's lock reports. */
export function lockOwner(run: RunIdentity): string {
  return `${run.controller}/${run.pid} (${run.user}, run ${run.runId}) since ${run.startedAt}`;
}

/** The host record's "controller": who ran vprov, on which machine ("user@hostname"). */
export function recordController(run: RunIdentity): string {
  return `${run.user}@${run.controller}`;
}
