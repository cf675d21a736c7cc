/**
 * SIGINT and SIGTERM, caught in this one place (no command calls process.exit). A command that
 * works on hosts asks for the interrupt; from then on the first signal stops new hosts, the
 * second (or the grace period) stops the ones in flight, and the command ends normally: its
 * reports are written, marked interrupted, and the exit code has bit 4.
 */
import { InterruptController, INTERRUPT_GRACE_MS, type Interrupt } from '../app/interrupt.js';
import type { Output } from './output.js';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export interface Interrupts {
  /** installs the handlers on first use: commands that touch no host keep Node's default */
  get(): Interrupt;
  /** removes the handlers (the command is over) */
  release(): void;
}

export function interrupts(io: Output, graceMs = Number(process.env.VPROV_INTERRUPT_GRACE_MS) || INTERRUPT_GRACE_MS): Interrupts {
  let controller: InterruptController | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    const step = controller!.trigger(signal);
    io.err(
      step === 'stop-starting'
        ? `\nvprov: ${signal}: no new host starts; hosts in flight get ${Math.round(graceMs / 1000)} s to finish (${signal} again stops them now); reports are still written\n`
        : `\nvprov: ${signal}: stopping the hosts in flight now; reports are still written\n`,
    );
  };
  return {
    get() {
      if (!controller) {
        controller = new InterruptController(graceMs);
        for (const s of SIGNALS) process.on(s, onSignal);
      }
      return controller;
    },
    release() {
      if (!controller) return;
      for (const s of SIGNALS) process.off(s, onSignal);
      controller.dispose();
    },
  };
}
