/**
 * Connection set-up retries. sshd's MaxStartups drops new connections before the banner
 * while too many are unauthenticated: ssh2 reports "Connection lost before handshake" or
 * ECONNRESET. Those are worth another try after a pause; nothing else is.
 */

const THROTTLED = /Connection lost before handshake|ECONNRESET|EPIPE|socket hang up|Connection reset by peer/;

export function isThrottling(err: unknown): boolean {
  return err instanceof Error && THROTTLED.test(err.message);
}

export interface RetryPolicy {
  attempts: number;
  /** first pause; doubled each time, with jitter so many targets do not retry in step */
  baseDelayMs: number;
}

export const SETUP_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 400 };

export async function withRetry<T>(attempt: () => Promise<T>, policy: RetryPolicy = SETUP_RETRY, retryable = isThrottling): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (i >= policy.attempts || !retryable(err)) throw err;
      const delay = policy.baseDelayMs * 2 ** (i - 1) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** A counting semaphore: at most `size` holders at once, the rest wait in order. */
export class Slots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async acquire(): Promise<() => void> {
    if (this.used >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.used++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.used--;
    };
  }
}
