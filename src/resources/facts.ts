/** All facts of a host in one round trip: one script, one section per resource. */
import type { HostDesired } from '../core/types.js';
import type { Connection } from '../transport/types.js';
import { HostError, UnreadableFactError } from '../core/errors.js';
import { createHash } from 'node:crypto';
import { keyValues, SECTION, sectionMarker, splitSections } from './shell.js';
import { readRecordFact, recordFactsScript, type RecordFact } from './host-record.js';
import type { HostFacts, RawFacts } from './types.js';
import type { AnyModule } from './module.js';
import { FACTS_PRELUDE, factsDamage, SUM_SECTION, sealedFactsScript } from './facts-integrity.js';

export { FACTS_PRELUDE };

/** A read-only probe run in the same round trip as the resources' facts; its output is section `name`. */
export interface ExtraFacts {
  name: string;
  script: string;
}

/** The facts script: its sections, then their checksum (facts-integrity.ts). */
export function factsScript(resources: readonly AnyModule[], desired: HostDesired, extra: readonly ExtraFacts[] = []): string {
  return `${sealedFactsScript(factsBody(resources, desired, extra))}\n`;
}

/** The facts sections without their checksum: what the digest covers (the apply script checks it under the lock). */
export function factsBody(resources: readonly AnyModule[], desired: HostDesired, extra: readonly ExtraFacts[] = []): string {
  const parts = [
    sectionMarker('host'),
    `if [ -d /run/systemd/system ]; then echo systemd=yes; else echo systemd=no; fi`,
    // The owner's record: read with the other facts, so the apply's digest check under the lock
    // also sees another controller's write since.
    recordFactsScript(),
  ];
  for (const r of resources) {
    parts.push(sectionMarker(r.kind), `{\n${r.probe(desired) || ':'}\n} 2>/dev/null`);
  }
  for (const x of extra) parts.push(sectionMarker(x.name), `{\n${x.script || ':'}\n} 2>/dev/null`);
  parts.push(sectionMarker('end'));
  return parts.join('\n');
}

export interface Facts {
  host: HostFacts;
  raw: RawFacts;
  /**
   * sha256 of what the facts script printed (as sh's $(...) keeps it), without the extra probes'
   * sections: what the apply script re-checks under the lock, and a saved plan holds
   */
  digest: string;
  /** sha256 of each section in the digest (host, firewall, sudoers, …): names what changed when the digest differs */
  sectionDigests: Record<string, string>;
  /** the host record (/etc/vprov/host.json): which site owns the host */
  record: RecordFact;
}

export async function gatherFacts(conn: Connection, resources: readonly AnyModule[], desired: HostDesired, extra: readonly ExtraFacts[] = []): Promise<Facts> {
  const res = await conn.runScript(factsScript(resources, desired, extra), { prelude: FACTS_PRELUDE });
  if (res.code !== 0) throw new HostError(`gathering facts failed (exit ${res.code}): ${res.stderr.trim() || 'incomplete output'}`);
  return checkedFacts(
    res.stdout,
    splitSections(res.stdout).ssh,
    extra.map((x) => x.name),
    true,
  );
}

/** Facts from an output that must have arrived whole (its checksum); else an UnreadableFactError naming why. */
export function checkedFacts(stdout: string, sshSection: string | undefined, extra: readonly string[] = [], prelude = false): Facts {
  const damage = factsDamage(stdout, prelude);
  if (damage) throw new UnreadableFactError(`gathering facts failed: ${damage}`);
  const facts = factsFromOutput(stdout, sshSection, extra);
  if (facts.raw.end === undefined) throw new UnreadableFactError('gathering facts failed: the output has no end marker');
  return facts;
}

/** Facts from an output that may have been cut short (printed after an apply's changes), or undefined. */
export function wholeFacts(stdout: string | undefined, sshSection: string | undefined): Facts | undefined {
  if (stdout === undefined || factsDamage(stdout, false) !== undefined) return undefined;
  const facts = factsFromOutput(stdout, sshSection);
  return facts.raw.end === undefined ? undefined : facts;
}

/**
 * Facts from the facts script's output, not checked whole (checkedFacts and wholeFacts do that);
 * `sshSection` is the unprivileged prelude's (SSH_CONNECTION). The checksum section is no fact:
 * left out of `raw` and of the digest, which means what it meant before the checksum.
 * `extra` names the read-only probes' sections: kept in `raw`, left out of the digest, so a plan's
 * digest (which reads the listeners too) is the one the apply script computes.
 */
export function factsFromOutput(stdout: string, sshSection: string | undefined, extra: readonly string[] = []): Facts {
  const start = stdout.indexOf(`${SECTION}host@@`);
  const all = start < 0 ? stdout : stdout.slice(start);
  const sum = all.lastIndexOf(`\n${SECTION}${SUM_SECTION}@@\n`);
  const text = sum < 0 ? all : all.slice(0, sum + 1);
  const raw = splitSections(text);
  const h = keyValues(raw.host ?? '');
  const ssh = (keyValues(sshSection ?? '').ssh ?? '').trim().split(/\s+/);
  const record = readRecordFact(h);
  // The digests are computed when first read (an apply, a saved plan): a drift or a plan never
  // reads them, and hashing every host's output (its nft listing grows with the fleet) twice
  // more was a cost per host for nothing.
  let digests: { digest: string; sectionDigests: Record<string, string> } | undefined;
  const digestsOf = () => (digests ??= digestsOfText(withoutSections(text, extra)));
  return {
    raw: { ...raw, ...(sshSection !== undefined ? { ssh: sshSection } : {}) },
    get digest() {
      return digestsOf().digest;
    },
    get sectionDigests() {
      return digestsOf().sectionDigests;
    },
    record,
    host: {
      written: record.state === 'present' ? record.record.written : null,
      controllerAddress: ssh[0] || null,
      sshPort: Number(ssh[3]) || 22,
      systemd: h.systemd === 'yes',
    },
  };
}

function digestsOfText(digested: string): { digest: string; sectionDigests: Record<string, string> } {
  const sectionDigests: Record<string, string> = {};
  for (const [name, body] of Object.entries(splitSections(digested))) if (name !== 'end') sectionDigests[name] = sha256(body);
  return { digest: sha256(digested.replace(/\n+$/, '')), sectionDigests };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The text without the named sections, each from its marker line up to the next marker line. */
function withoutSections(text: string, names: readonly string[]): string {
  let out = text;
  for (const name of names) {
    const marker = `${SECTION}${name}@@\n`;
    const at = out.startsWith(marker) ? 0 : out.indexOf(`\n${marker}`) + 1;
    if (at <= 0 && !out.startsWith(marker)) continue;
    const rest = out.slice(at + marker.length);
    const next = /(?:^|\n)(@@vprov:[a-z0-9:_-]+@@(?:\n|$))/.exec(rest);
    out = out.slice(0, at) + (next ? rest.slice(next.index + next[0].length - next[1]!.length) : '');
  }
  return out;
}
