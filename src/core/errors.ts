/** Typed errors. The CLI catches them in one place and maps them to exit codes. */

/** Bad input (inventory, catalog, arguments): nothing was touched. Exit code 1. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    message: string,
    /** file the problem is in, when there is one */
    readonly file?: string,
    /** more problems found in the same pass, one line each */
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

/** The host could not be reached or authenticated against. */
export class UnreachableError extends Error {
  override name = 'UnreachableError';
}

/** Something failed on a reachable host (command failed, validation refused, …). */
/** A command printed more than its byte limit: the channel was closed, the host fails. */
export function outputLimitMessage(limit: number): string {
  return `output over ${limit} bytes (ssh.maxOutput): the command was stopped and its output dropped`;
}

export class HostError extends Error {
  override name = 'HostError';
}

/** A fact the host could not read (a file that exists but could not be read): that resource fails with it. */
export class UnreadableFactError extends HostError {
  override name = 'UnreadableFactError';
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** The connection ended while a command ran: its effect on the host is unknown. */
export class ConnectionLostError extends UnreachableError {
  override name = 'ConnectionLostError';
}

/**
 * The connection was lost (or the host's time ran out) after the apply script started: what
 * the host applied is unknown, never guessed. Its resources are reported as "unknown".
 */
export class StateUnknownError extends HostError {
  override name = 'StateUnknownError';
}
