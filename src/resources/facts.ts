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
  /** sha256 of what the facts script printed (as sh's $(...) keeps it): the apply script re-checks it under the lock */
  digest: string;
  /** the host record (/etc/vprov/host.json): which site owns the host */
  record: RecordFact;
}

export async function gatherFacts(conn: Connection, resources: readonly AnyModule[], desired: HostDesired, extra: readonly ExtraFacts[] = []): Promise<Facts> {
  const res = await conn.runScript(factsScript(resources, desired, extra), { prelude: FACTS_PRELUDE });
  const facts = factsFromOutput(res.stdout, splitSections(res.stdout).ssh);
  if (res.code !== 0 || facts.raw.end === undefined) {
    throw new HostError(`gathering facts failed (exit ${res.code}): ${res.stderr.trim() || 'incomplete output'}`);
  }
  return facts;
}

/** Facts from the facts script's output; `sshSection` is the unprivileged prelude's (SSH_CONNECTION). */
export function factsFromOutput(stdout: string, sshSection: string | undefined): Facts {
  const start = stdout.indexOf(`${SECTION}host@@`);
  const text = start < 0 ? stdout : stdout.slice(start);
  const raw = splitSections(text);
  const h = keyValues(raw.host ?? '');
  const ssh = (keyValues(sshSection ?? '').ssh ?? '').trim().split(/\s+/);
  const record = readRecordFact(h);
  return {
    raw: { ...raw, ...(sshSection !== undefined ? { ssh: sshSection } : {}) },
    digest: createHash('sha256').update(text.replace(/\n+$/, '')).digest('hex'),
    record,
    host: {
      written: record.state === 'present' ? record.record.written : null,
      controllerAddress: ssh[0] || null,
      sshPort: Number(ssh[3]) || 22,
      systemd: h.systemd === 'yes',
    },
  };
}
