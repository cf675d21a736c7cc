/**
 * Verdicts: each requirement row against what was read on its host and probed from its
 * sources. Pure: the readings come in, rows with what was found and a verdict go out.
 */
import type { FirewallBackend, HostDesired } from '../core/types.js';
import type { Probe } from '../core/report.js';
import { canonicalAddress, familyOf } from '../core/net.js';
import type { RequirementRow } from '../compile/requirements.js';
import { flowLabel } from '../compile/requirements.js';
import type { HostFacts, RawFacts } from '../resources/types.js';
import { effectiveBackend } from '../resources/firewall.js';
import { admittingRules, firewalldAcceptRules, grantFor, nftAcceptRules } from '../resources/evidence-facts.js';
import { parseSudoList } from '../resources/sudo-effect.js';
import { configMode, parseSelinuxFacts, SELINUX_CONFIG } from '../resources/selinux.js';
import { keyValues } from '../resources/shell.js';
import type { EvidenceRow, Verdict } from '../report/evidence-schema.js';

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

export function judge(row: RequirementRow, readings: ReadonlyMap<string, HostReading>, probes: readonly Probe[]): EvidenceRow {
  const reading = readings.get(row.host)!;
  const base = baseRow(row);
  const verdict = (v: Verdict, found: string[], reason?: string): EvidenceRow => ({ ...base, found, verdict: v, ...(reason ? { reason } : {}) });
  const probeLines = row.kind === 'flow' ? probesOf(row, readings, probes) : { lines: [], filtered: [], unknown: [] };
  if (reading.status === 'not managed') {
    return verdict('not verifiable', probeLines.lines, `${row.host} is not managed (managed: false): vprov does not log in to read it`);
  }
  if (reading.status !== 'read') return verdict('not verifiable', probeLines.lines, `${row.host} ${reading.status}: ${reading.error ?? 'no facts'}`);
  const raw = reading.raw!;
  switch (row.kind) {
    case 'flow': {
      const backend: Exclude<FirewallBackend, 'auto'> = effectiveBackend(reading.desired.firewall.backend, reading.facts!);
      if (backend === 'none') return verdict('not verifiable', probeLines.lines, `firewall: none: vprov does not manage the firewall of ${row.host}`);
      const rules = backend === 'nftables' ? nftAcceptRules(raw.firewall ?? '') : firewalldAcceptRules(raw.firewall ?? '');
      const labels = addressLabels(readings);
      const found: string[] = [];
      const missing: string[] = [];
      const byRule = new Map<string, string[]>();
      for (const source of row.addresses) {
        const who = labels.get(source) ? `${labels.get(source)} (${source})` : source;
        for (const spec of row.flow.protocol === 'icmp' ? [null] : row.flow.ports) {
          const admitting = admittingRules(rules, source, row.flow.protocol, spec);
          const what = `${row.flow.protocol}${spec ? `/${spec}` : ''}`;
          if (!admitting) missing.push(`${who} ${what}`);
          else for (const r of admitting) byRule.set(r.text, [...new Set([...(byRule.get(r.text) ?? []), who])]);
        }
      }
      for (const [text, who] of byRule) found.push(`${backend}: ${text} — admits ${who.join(', ')}`);
      if (missing.length > 0) found.push(`${backend}: no vprov accept rule for ${missing.join('; ')}`);
      found.push(...probeLines.lines);
      if (missing.length > 0) return verdict('not met', found, `no accept rule in the live firewall for ${missing.join('; ')}`);
      if (probeLines.filtered.length > 0) return verdict('not met', found, `rule present, but filtered from ${probeLines.filtered.join(', ')} (dropped elsewhere: another table, zone or the network)`);
      if (probeLines.unknown.length > 0) return verdict('not verifiable', found, `reachability from ${probeLines.unknown.join(', ')} could not be probed`);
      return verdict('met', found);
    }
    case 'account': {
      const kv = keyValues(raw.account ?? '');
      if (kv.exists !== 'yes') return verdict('not met', [`getent passwd ${row.user}: no such user`], `user ${row.user} does not exist`);
      const groups = (kv.groups ?? '').split(/\s+/).filter(Boolean);
      const found = [`id -nG ${row.user}: ${groups.join(' ')}`];
      const lacking = row.groups.filter((g) => !groups.includes(g));
      return lacking.length > 0 ? verdict('not met', found, `${row.user} is not in group ${lacking.join(', ')}`) : verdict('met', found);
    }
    case 'sudo': {
      // The sudoers resource's own fact: what `sudo -l -U USER` says, read in the same round trip.
      const effect = keyValues(raw.sudoers ?? '').effect;
      if (effect === undefined) {
        const exists = keyValues(raw.account ?? '').exists;
        return exists === 'no'
          ? verdict('not met', [`getent passwd ${row.user}: no such user`], `user ${row.user} does not exist`)
          : verdict('not verifiable', [`sudo -l -U ${row.user}: no answer`], `sudo could not list the privileges of ${row.user}`);
      }
      const view = parseSudoList(Buffer.from(effect, 'base64').toString('utf8'));
      if (!view.readable) return verdict('not verifiable', [`sudo -l -U ${row.user}: ${view.raw.slice(0, 300) || 'no output'}`], `sudo could not list the privileges of ${row.user}`);
      const grant = grantFor(view.grants, row.command);
      if (grant) return verdict('met', [`sudo -l -U ${row.user}: (${grant.runas}) ${grant.tags ? `${grant.tags} ` : ''}${grant.command}`]);
      const found = [`sudo -l -U ${row.user}: ${row.command} not listed (${view.grants.length} command(s) granted${view.grants.length ? `, e.g. ${view.grants.slice(0, 3).map((g) => g.command).join(', ')}` : ''})`];
      return verdict('not met', found, `sudo does not let ${row.user} run ${row.command} as root`);
    }
    case 'selinux': {
      const f = parseSelinuxFacts(raw.selinux ?? '');
      const runtime = f.kernel ? (f.runtime ?? 'disabled') : null;
      const persistent = f.config === null ? null : configMode(f.config);
      const found = [
        `getenforce: ${f.runtime ?? '(not installed)'}${f.kernel ? '' : ' (kernel without SELinux: runtime not applicable)'}`,
        f.config === null ? `${SELINUX_CONFIG}: absent` : `${SELINUX_CONFIG}: SELINUX=${persistent ?? '(unset)'}`,
      ];
      if (f.config === null) return verdict('not applicable', found, `no ${SELINUX_CONFIG} (no SELinux userland)`);
      if (persistent !== row.mode) return verdict('not met', found, `${SELINUX_CONFIG} says ${persistent ?? 'nothing'}, ${row.mode} wanted`);
      if (runtime !== null && runtime !== row.mode) return verdict('not met', found, `running ${runtime}, ${row.mode} wanted`);
      return verdict('met', found);
    }
  }
}

function baseRow(row: RequirementRow): Omit<EvidenceRow, 'found' | 'verdict' | 'reason'> {
  const common = { id: row.id, kind: row.kind, host: row.host, documents: row.documents, section: row.section };
  switch (row.kind) {
    case 'flow':
      return {
        ...common,
        requirement: flowLabel(row.flow),
        sources: [...row.sourceHosts, ...row.sourceNetworks],
        protocol: row.flow.protocol,
        ports: row.flow.ports,
        platform: row.flow.platformTitle ?? row.flow.platform,
        method: row.flow.method,
        condition: row.flow.condition,
      };
    case 'account':
      return { ...common, requirement: `user ${row.user}, member of ${row.groups.join(', ')}` };
    case 'sudo':
      return { ...common, requirement: `${row.user} may run ${row.command} as root (sudo)`, rootEquivalent: row.rootEquivalent };
    case 'selinux':
      return { ...common, requirement: `SELinux ${row.mode}${row.documented && row.documented !== row.mode ? ` (inventory; documented: ${row.documented})` : ''}` };
  }
}

/** Probes of this flow to this destination, from its managed sources (as `verify --connectivity`). */
function probesOf(row: Extract<RequirementRow, { kind: 'flow' }>, readings: ReadonlyMap<string, HostReading>, probes: readonly Probe[]) {
  const mine = probes.filter((p) => p.flow === row.flow.id && p.to === row.host);
  const lines = mine.map((p) => `tcp connect from ${p.from} to ${p.address}:${p.port}: ${p.result}${p.result === 'refused' ? ' (reachable; nothing listens)' : ''}${p.detail && p.result === 'unknown' ? ` (${p.detail})` : ''}`);
  if (row.flow.protocol === 'tcp' && mine.length === 0 && row.sourceHosts.length > 0) {
    const unmanaged = row.sourceHosts.filter((s) => readings.get(s)?.status === 'not managed');
    if (unmanaged.length === row.sourceHosts.length) lines.push(`not probed: no managed source host (${unmanaged.join(', ')})`);
  }
  if (row.flow.protocol !== 'tcp') lines.push(`${row.flow.protocol}: no connect to probe it; the rule is the evidence`);
  return { lines, filtered: [...new Set(mine.filter((p) => p.result === 'filtered').map((p) => p.from))], unknown: [...new Set(mine.filter((p) => p.result === 'unknown').map((p) => p.from))] };
}

/** address → host name, for "node1 (192.0.2.5)" instead of a bare address. */
function addressLabels(readings: ReadonlyMap<string, HostReading>): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of readings.values()) if (familyOf(r.desired.address)) out.set(canonicalAddress(r.desired.address), r.desired.name);
  return out;
}
