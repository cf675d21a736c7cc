/**
 * A facts output proves it arrived whole: any single byte of it changed, or any cut, and the
 * controller refuses it as an unreadable fact naming why — never reads a key that is no longer
 * there as its default. The outputs are real: the facts script of the fixtures' sections (test/
 * golden/facts/) run by /bin/sh on this machine through the local transport, prelude and all.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectLocal } from '../../src/transport/local.js';
import { createHash } from 'node:crypto';
import { FACTS_PRELUDE, factsFromOutput, factsScript, gatherFacts, type ExtraFacts } from '../../src/resources/facts.js';
import { splitSections, q } from '../../src/resources/shell.js';
import { UnreadableFactError } from '../../src/core/errors.js';
import type { HostDesired } from '../../src/core/types.js';
import type { Connection } from '../../src/transport/types.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const desired = { name: 'h', managed: true } as unknown as HostDesired;

/** Each fixture's sections (but the host's own, which the real script prints) as probes printing them. */
function probesOf(fixture: string): ExtraFacts[] {
  return Object.entries(splitSections(readFileSync(join(ROOT, 'test/golden/facts', fixture), 'utf8')))
    .filter(([name]) => name !== 'host' && name !== 'end')
    .map(([name, text]) => ({ name, script: `printf '%s\\n' ${q(text.replace(/\n+$/, ''))}` }));
}

/** The facts script run for real (local sh, SSH_CONNECTION set as sshd sets it): the script and its bytes. */
async function realOutput(fixture: string): Promise<{ script: string; probes: ExtraFacts[]; bytes: Buffer }> {
  const probes = probesOf(fixture);
  const script = factsScript([], desired, probes);
  const saved = process.env.SSH_CONNECTION;
  process.env.SSH_CONNECTION = '192.0.2.200 50000 192.0.2.1 22';
  try {
    const res = await connectLocal({ become: false, commandTimeoutMs: 30_000 }).runScript(script, { prelude: FACTS_PRELUDE });
    expect(res.code, res.stderr).toBe(0);
    return { script, probes, bytes: Buffer.from(res.stdout, 'utf8') };
  } finally {
    if (saved === undefined) delete process.env.SSH_CONNECTION;
    else process.env.SSH_CONNECTION = saved;
  }
}

/** A host that answers the facts script with `bytes`, decoded as the transports decode them. */
function answering(script: string, bytes: Buffer): Connection {
  return {
    roundTrips: 1,
    close() {},
    async runScript(s) {
      expect(s).toBe(script);
      return { code: 0, stdout: bytes.toString('utf8'), stderr: '' };
    },
  };
}

const OUTPUTS = await Promise.all(['nftables-host.txt', 'firewalld-host.txt'].map(realOutput));
const DAMAGE = /gathering facts failed: .*(garbled|cut short|checksum|no facts section)/;

async function refused({ script, probes }: { script: string; probes: ExtraFacts[] }, bytes: Buffer): Promise<void> {
  const err = await gatherFacts(answering(script, bytes), [], desired, probes).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'a damaged output was read as facts').toBeInstanceOf(UnreadableFactError);
  expect((err as Error).message).toMatch(DAMAGE);
}

describe('a facts output proves it arrived whole', () => {
  it('the real output, as the host printed it, is read', async () => {
    for (const { script, probes, bytes } of OUTPUTS) {
      const facts = await gatherFacts(answering(script, bytes), [], desired, probes);
      expect(facts.raw.account).toBeDefined();
      expect(facts.host.controllerAddress).toBe('192.0.2.200');
      expect(facts.host.sshPort).toBe(22);
    }
  });

  it('any single byte changed, anywhere (prelude, any section, the checksum line): refused, naming why', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(OUTPUTS.length - 1), fc.nat(), fc.integer({ min: 1, max: 255 }), async (which, at, delta) => {
        const out = OUTPUTS[which]!;
        const garbled = Buffer.from(out.bytes);
        const i = at % garbled.length;
        garbled[i] = (garbled[i]! + delta) % 256;
        await refused(out, garbled);
      }),
      { numRuns: 400 },
    );
  });

  it('cut anywhere (the last byte too): refused, naming why', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(OUTPUTS.length - 1), fc.nat(), async (which, at) => {
        const out = OUTPUTS[which]!;
        await refused(out, out.bytes.subarray(0, at % out.bytes.length));
      }),
      { numRuns: 200 },
    );
    for (const out of OUTPUTS) await refused(out, out.bytes.subarray(0, out.bytes.length - 1));
  });

  it("the checksum is no fact: the digest an apply re-checks under the lock is the sections' sha256, as before it", () => {
    for (const { bytes } of OUTPUTS) {
      const text = bytes.toString('utf8');
      const sections = text.slice(text.indexOf('@@vprov:host@@'), text.indexOf('\n@@vprov:sum@@\n'));
      const facts = factsFromOutput(text, undefined);
      expect(facts.digest).toBe(createHash('sha256').update(sections).digest('hex'));
      expect(text.endsWith(`\n@@vprov:sum@@\n${facts.digest}  -\n`)).toBe(true);
      expect(facts.raw.sum).toBeUndefined();
      expect(Object.keys(facts.sectionDigests)).not.toContain('sum');
    }
  });

  it('a key garbled into another key (the line effectively missing): refused, not read as its default', async () => {
    for (const out of OUTPUTS) {
      const text = out.bytes.toString('utf8');
      for (const key of ['\nnft=', '\nexists=', '\nkernel=', '\nuser=']) {
        if (!text.includes(key)) continue;
        await refused(out, Buffer.from(text.replace(key, key.replace('=', '\u00a4')), 'utf8'));
      }
    }
  });
});
