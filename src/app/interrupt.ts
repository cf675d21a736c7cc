/**
 * A run stopped by the operator (Ctrl-C, `systemctl stop`): no new host starts at once; the hosts
 * in flight get a grace period to finish, then (or at a second signal) they are stopped like a
 * host that ran out of time (connections closed; "unknown" once the apply script started). The
 * run still ends normally, so every report it was asked for is written, marked interrupted.
 * The signals themselves are caught in one place, the CLI (src/cli/signals.ts).
 */

import { setMaxListeners } from 'node:events';

/** How long hosts in flight may go on after the first signal (systemd's stop timeout is 90 s). */
export const INTERRUPT_GRACE_MS = 10_000;

export interface Interrupt {
  /** aborted at the first signal: no new host starts */
  readonly stopStarting: AbortSignal;
  /** aborted after the grace period or at a second signal: hosts in flight stop now */
  readonly stopNow: AbortSignal;
  /** the first signal's name (SIGINT, SIGTERM), once there was one */
  readonly signal: string | undefined;
}

export class InterruptController implements Interrupt {
  private readonly starting = new AbortController();
  private readonly now = new AbortController();
  private first: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly graceMs = INTERRUPT_GRACE_MS) {
    // Every host in flight listens for stopNow (--forks of them at once): no leak warning at 11.
    setMaxListeners(0, this.now.signal);
  }

  get stopStarting(): AbortSignal {
    return this.starting.signal;
  }

  get stopNow(): AbortSignal {
    return this.now.signal;
  }

  get signal(): string | undefined {
    return this.first;
  }

  /** A signal arrived: the first stops new hosts (and arms the grace timer), the next stops the rest. */
  trigger(signal: string): 'stop-starting' | 'stop-now' {
    if (this.first === undefined) {
      this.first = signal;
      this.starting.abort(signal);
      this.timer = setTimeout(() => this.now.abort(signal), this.graceMs);
      this.timer.unref(); // a run that ends within the grace period is not held open by it
      return 'stop-starting';
    }
    clearTimeout(this.timer);
    this.now.abort(signal);
    return 'stop-now';
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

/** The error of a host the interrupt kept from starting. */
export function notStartedError(signal: string | undefined): string {
  return `interrupted (${signal ?? 'signal'}): not started, nothing changed`;
}

/**
 * Calls `stop(why)` once the hosts in flight must stop now (at once if they already must);
 * returns the function that stops listening (call it when the host is done).
 */
export function whenStoppedNow(signal: AbortSignal | undefined, stop: (why: string) => void): () => void {
  if (!signal) return () => undefined;
  const onStop = () => stop(`interrupted (${String(signal.reason ?? 'signal')}): stopped`);
  if (signal.aborted) {
    onStop();
    return () => undefined;
  }
  signal.addEventListener('abort', onStop, { once: true });
  return () => signal.removeEventListener('abort', onStop);
}
