/**
 * Verdicts: each requirement row against what was read on its host and probed from its
 * sources. Pure: the readings come in, rows with what was found and a verdict go out. Each row
 * is judged by the resource module it belongs to, on that module's parsed facts.
 */
import type { HostDesired } from '../core/types.js';
import type { Probe } from '../core/report.js';
import { canonicalAddress, familyOf } from '../core/net.js';
import type { JudgeContext, RowBase } from '../resources/module.js';
import { parseFacts } from '../resources/module.js';
import { moduleOfRow } from '../resources/registry.js';
import type { HostFacts, RawFacts } from '../resources/types.js';
import type { EvidenceRow } from '../report/evidence-schema.js';
import { describeError, UnreadableFactError } from '../core/errors.js';

/** What one host gave: its facts in one round trip, or why there are none. */
export interface HostReading {
  desired: HostDesired;
  status: 'read' | 'unreachable' | 'failed' | 'not managed';
  error?: string;
  raw?: RawFacts;
  facts?: HostFacts;
  /** the site the host record names */
  owner?: string;
}

export const PROBE_SECTION = 'evidence-probe';

/** Parsed facts per reading and module: a host's many sudo rows parse its facts once. */
const parsed = new WeakMap<HostReading, Map<string, unknown>>();

function factsOf(reading: HostReading, kind: string): unknown {
  const m = moduleOfRow(kind);
  let cache = parsed.get(reading);
  if (!cache) parsed.set(reading, (cache = new Map()));
  if (!cache.has(m.kind)) cache.set(m.kind, parseFacts(m, reading.raw?.[m.kind] ?? '', reading.desired));
  return cache.get(m.kind);
}

export function judge(row: RowBase, readings: ReadonlyMap<string, HostReading>, probes: readonly Probe[]): EvidenceRow {
  const reading = readings.get(row.host)!;
  const m = moduleOfRow(row.kind);
  const base = { id: row.id, kind: row.kind, host: row.host, documents: row.documents, section: row.section, ...m.describe(row) } as Omit<
    EvidenceRow,
    'found' | 'verdict' | 'reason'
  >;
  const verdict = (v: EvidenceRow['verdict'], found: string[], reason?: string): EvidenceRow => ({ ...base, found, verdict: v, ...(reason ? { reason } : {}) });
  const labels = addressLabels(readings);
  const ctx: JudgeContext = {
    desired: reading.desired,
    host: reading.facts ?? { controllerAddress: null, sshPort: 22, systemd: false },
    labelOf: (a: string) => labels.get(a),
    probes,
    isManaged: (h: string) => readings.get(h)?.status !== 'not managed',
  };
  if (reading.status !== 'read') {
    // What the sources' probes found is still evidence (a flow's reachability), even unread.
    const found = m.foundElsewhere?.(row, ctx) ?? [];
    if (reading.status === 'not managed')
      return verdict('not verifiable', found, `${row.host} is not managed (managed: false): vprov does not log in to read it`);
    return verdict('not verifiable', found, `${row.host} ${reading.status}: ${reading.error ?? 'no facts'}`);
  }
  const facts = factsOf(reading, row.kind);
  if (facts instanceof UnreadableFactError) return verdict('not verifiable', [], facts.message);
  // Judged in isolation: whatever the host printed, judging its answer never throws past this row.
  try {
    const j = m.judge(row, facts, ctx);
    return verdict(j.verdict, j.found, j.reason);
  } catch (err) {
    return verdict('not verifiable', [], `${row.host} answered something vprov cannot read: ${describeError(err)}`);
  }
}

/** address → host name, for "node1 (192.0.2.5)" instead of a bare address. */
const labelCache = new WeakMap<ReadonlyMap<string, HostReading>, Map<string, string>>();
function addressLabels(readings: ReadonlyMap<string, HostReading>): Map<string, string> {
  let out = labelCache.get(readings);
  if (out) return out;
  out = new Map<string, string>();
  for (const r of readings.values()) if (familyOf(r.desired.address)) out.set(canonicalAddress(r.desired.address), r.desired.name);
  labelCache.set(readings, out);
  return out;
}
