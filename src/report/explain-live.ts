/**
 * `vprov explain HOST[:PORT] --live`: what the host itself says about that port, read now in one
 * check-mode round trip — vprov's firewall resource (in sync or not) and whatever else opens the
 * port there (other tools' rules, zone extras, listeners). Pure: built from the host's report.
 */
import type { ForeignItem, HostReport } from '../core/report.js';
import type { ExplainQuery } from '../compile/explain.js';
import { portsContain } from '../core/ports.js';
import { terminalLines } from './neutral.js';
import { foreignLine } from './text.js';

export interface LiveAnswer {
  host: string;
  /** the host's status in the check run: failed/unreachable when it could not be read */
  status: HostReport['status'];
  error?: string;
  /** vprov's firewall resource on the host, when it was read */
  firewall?: { status: string; changes: string[]; error?: string };
  /** false: the host's other access was not read, so alsoOpen says nothing (never "nothing else") */
  otherAccessRead: boolean;
  /** what else opens the port (or every such item when no port was asked) */
  alsoOpen: ForeignItem[];
  /** false: nothing filters inbound traffic on the host; null: unknown */
  filtered: boolean | null;
  notes: string[];
  /** what could not be read, with its cause */
  errors: string[];
}

/** Whether a foreign item lets the asked port in: an item without ports (a zone target, a source, a bare accept) opens every port. */
function opens(item: ForeignItem, q: ExplainQuery): boolean {
  if (q.protocol !== undefined && item.protocol !== undefined && item.protocol !== q.protocol) return false;
  return q.port === undefined || item.ports === undefined || portsContain(item.ports, q.port);
}

export function liveAnswer(h: HostReport, q: ExplainQuery): LiveAnswer {
  const fw = h.resources.find((r) => r.resource === 'firewall');
  return {
    host: h.host,
    status: h.status,
    ...(h.error !== undefined ? { error: h.error } : {}),
    ...(fw ? { firewall: { status: fw.status, changes: fw.changes, ...(fw.error !== undefined ? { error: fw.error } : {}) } } : {}),
    otherAccessRead: h.foreign !== undefined,
    alsoOpen: (h.foreign?.items ?? []).filter((i) => opens(i, q)),
    filtered: h.foreign?.filtered ?? null,
    notes: h.foreign?.notes ?? [],
    errors: h.foreign?.errors ?? [],
  };
}

/** Whether the host could not be read at all (exit bit 4). */
export const liveFailed = (a: LiveAnswer) => a.status === 'failed' || a.status === 'unreachable';

export function liveText(a: LiveAnswer, what: string): string {
  const lines = ['', `on ${a.host} now (read over SSH; nothing changed):`];
  // The host controls what it says (errors, rule comments, listeners): neutralised as in every report.
  const out = () => `${lines.flatMap((l) => terminalLines(l, 6)).join('\n')}\n`;
  if (liveFailed(a) && !a.firewall) {
    lines.push(`  could not read it: ${a.status}${a.error ? `: ${a.error}` : ''}`);
    return out();
  }
  const fw = a.firewall;
  if (!fw) lines.push("  vprov's firewall: not read");
  else if (fw.status === 'ok') lines.push("  vprov's firewall: in sync (its rules are on the host as planned)");
  else if (fw.status === 'pending') lines.push(`  vprov's firewall: drifted, apply would change:`, ...fw.changes.map((c) => `    ${c}`));
  else lines.push(`  vprov's firewall: ${fw.status}${fw.error ? `: ${fw.error}` : ''}`);
  if (!a.otherAccessRead) lines.push(`  what else opens ${what}: not read (${a.status})`);
  else if (a.alsoOpen.length === 0) lines.push(`  nothing else on the host opens ${what} (no other tool's rule, zone entry or listener)`);
  else lines.push(`  also open on ${what}, not vprov's (reported, never changed):`, ...a.alsoOpen.map((i) => `    ${foreignLine(i)}`));
  for (const n of a.notes) lines.push(`  note: ${n}`);
  for (const e of a.errors) lines.push(`  cannot read: ${e}`);
  return out();
}
