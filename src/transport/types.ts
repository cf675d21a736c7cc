/** What the resources and the app need from a connection, whatever carries it. */
export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  timeoutMs?: number;
  /** sh run unprivileged before the script (e.g. to read SSH_CONNECTION, which sudo strips) */
  prelude?: string;
}

export interface Connection {
  /** Runs a POSIX sh script (sent on stdin), as root when the target says become. */
  runScript(script: string, opts?: RunOptions): Promise<ExecResult>;
  /** How many commands were sent on this connection (benchmarks count round trips). */
  readonly roundTrips: number;
  close(): void;
}
