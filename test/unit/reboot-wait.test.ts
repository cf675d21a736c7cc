/** apply --reboot: waiting for the host to come back is bounded and needs a new boot id. */
import { describe, expect, it } from 'vitest';
import { waitForReboot } from '../../src/app/converge.js';
import type { Connection } from '../../src/transport/types.js';
import type { HostDesired } from '../../src/core/types.js';

const host = { name: 'h1' } as HostDesired;
const answering = (bootId: string, closed: string[]): Connection => ({
  roundTrips: 0,
  runScript: async () => ({ code: 0, stdout: `${bootId}\n`, stderr: '' }),
  close: () => void closed.push(bootId),
});

describe('waitForReboot', () => {
  it('keeps trying while SSH fails or the old boot still answers, returns the new boot', async () => {
    const answers = [new Error('ECONNREFUSED'), 'old', new Error('handshake timed out'), 'new'];
    const closed: string[] = [];
    const conn = await waitForReboot(
      host,
      {
        rebootPollMs: 1,
        connect: async () => {
          const a = answers.shift()!;
          if (a instanceof Error) throw a;
          return answering(a, closed);
        },
      },
      'old',
    );
    expect(await conn.runScript('cat /proc/sys/kernel/random/boot_id')).toMatchObject({ stdout: 'new\n' });
    expect(answers).toEqual([]);
    expect(closed).toEqual(['old']);
  });

  it('gives up after its bound, saying what the last attempt saw', async () => {
    const wait = waitForReboot(
      host,
      { rebootPollMs: 1, rebootTimeoutMs: 50, connect: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:2222')) },
      'old',
    );
    await expect(wait).rejects.toThrow(/SSH did not come back within 0 s; last attempt: .*ECONNREFUSED/);
  });

  it('a host that never goes down is not mistaken for a rebooted one', async () => {
    const wait = waitForReboot(host, { rebootPollMs: 1, rebootTimeoutMs: 50, connect: async () => answering('old', []) }, 'old');
    await expect(wait).rejects.toThrow(/still running the boot it had before the reboot/);
  });
});
