/** All facts of a host in one round trip: one script, one section per resource. */
import type { HostDesired } from '../core/types.js';
import type { Connection } from '../transport/types.js';
import { HostError } from '../core/errors.js';
import { createHash } from 'node:crypto';
import { keyValues, SECTION, sectionMarker, splitSections } from './shell.js';
import { readRecordFact, recordFactsScript, type RecordFact } from './host-record.js';
import type { HostFacts, RawFacts } from './types.js';
import type { AnyModule } from './module.js';

/** Runs unprivileged before sudo, which would strip SSH_CONNECTION. */
export const FACTS_PRELUDE = `echo '@@vprov:ssh@@'; echo "ssh=$SSH_CONNECTION"`;

/** A read-only probe run in the same round trip as the resources' facts; its output is section `name`. */
export interface ExtraFacts {
  name: string;
  script: string;
}

export function factsScript(resources: readonly AnyModule[], desired: HostDesired, extra: readonly ExtraFacts[] = []): string {
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
  return `${parts.join('\n')}\n`;
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
  const facts = factsFromOutput(
    res.stdout,
    splitSections(res.stdout).ssh,
    extra.map((x) => x.name),
  );
  if (res.code !== 0 || facts.raw.end === undefined) {
    throw new HostError(`gathering facts failed (exit ${res.code}): ${res.stderr.trim() || 'incomplete output'}`);
  }
  return facts;
}

/**
 * Facts from the facts script's output; `sshSection` is the unprivileged prelude's (SSH_CONNECTION).
 * `extra` names the read-only probes' sections: kept in `raw`, left out of the digest, so a plan's
 * digest (which reads the listeners too) is the one the apply script computes.
 */
export function factsFromOutput(stdout: string, sshSection: string | undefined, extra: readonly string[] = []): Facts {
  const start = stdout.indexOf(`${SECTION}host@@`);
  const text = start < 0 ? stdout : stdout.slice(start);
  const raw = splitSections(text);
  const digested = withoutSections(text, extra);
  const sectionDigests: Record<string, string> = {};
  for (const [name, body] of Object.entries(splitSections(digested))) if (name !== 'end') sectionDigests[name] = sha256(body);
  const h = keyValues(raw.host ?? '');
  const ssh = (keyValues(sshSection ?? '').ssh ?? '').trim().split(/\s+/);
  const record = readRecordFact(h);
  return {
    raw: { ...raw, ...(sshSection !== undefined ? { ssh: sshSection } : {}) },
    digest: sha256(digested.replace(/\n+$/, '')),
    sectionDigests,
    record,
    host: {
      written: record.state === 'present' ? record.record.written : null,
      controllerAddress: ssh[0] || null,
      sshPort: Number(ssh[3]) || 22,
      systemd: h.systemd === 'yes',
    },
  };
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
