/**
 * The requirements one deployment must meet, one row per thing to prove on a host (each flow
 * per destination, the account, each sudo command, the SELinux mode), and the documented
 * requirements that were not applied, with the reason. What evidence checks hosts against. Pure.
 */
import type { Flow, SelinuxMode } from '../core/types.js';
import type { Inventory } from '../inventory/load.js';
import type { CompileResult } from './compile.js';
import { effectiveFlow, flowSelection } from './compile.js';
import { noSourceReason, takesPart } from './edges.js';

interface RowBase {
  /** stable id: kind, what and host */
  id: string;
  /** the host the requirement is proven on (the destination, for a flow) */
  host: string;
  managed: boolean;
  documents: string[];
  section: string;
}

export type RequirementRow =
  | (RowBase & { kind: 'flow'; flow: Flow; sourceHosts: string[]; sourceNetworks: string[]; addresses: string[] })
  | (RowBase & { kind: 'account'; user: string; groups: string[] })
  | (RowBase & { kind: 'sudo'; user: string; command: string; rootEquivalent: boolean })
  | (RowBase & { kind: 'selinux'; mode: SelinuxMode; documented: SelinuxMode | null });

export interface NotApplied {
  kind: 'flow' | 'sudo' | 'selinux';
  requirement: string;
  /** not applied: vprov did nothing for it; flagged: applied as documented, but worth an auditor's eye */
  status: 'not applied' | 'flagged';
  reason: string;
  documents: string[];
  section: string;
}

export function flowLabel(f: Flow): string {
  return `${f.from} → ${f.to} ${f.protocol}${f.ports.length ? `/${f.ports.join(',')}` : ''} (${f.purpose})`;
}

export function requirementsOf(inv: Inventory, compiled: CompileResult): { rows: RequirementRow[]; notApplied: NotApplied[] } {
  const { product, data } = inv;
  const rows: RequirementRow[] = [];
  const notApplied: NotApplied[] = [];
  const managed = (h: string) => data.hosts[h]!.managed;

  for (const e of compiled.edges) {
    rows.push({
      id: `flow:${e.flow.id}@${e.dest}`,
      kind: 'flow',
      host: e.dest,
      managed: managed(e.dest),
      documents: e.flow.sources,
      section: e.flow.section,
      flow: e.flow,
      sourceHosts: e.sourceHosts,
      sourceNetworks: e.sourceNetworks,
      addresses: e.addresses,
    });
  }
  const reqs = product.requirements;
  for (const h of compiled.hosts) {
    if (h.account && reqs.account) {
      rows.push({ id: `account:${h.account.name}@${h.name}`, kind: 'account', host: h.name, managed: h.managed, documents: reqs.account.sources, section: reqs.account.section, user: h.account.name, groups: h.account.groups });
    }
    if (h.sudoers) {
      for (const command of h.sudoers.commands) {
        const roles = h.sudoers.roles.filter((r) => reqs.sudo[r]!.commands.includes(command));
        rows.push({
          id: `sudo:${command}@${h.name}`,
          kind: 'sudo',
          host: h.name,
          managed: h.managed,
          documents: [...new Set(roles.flatMap((r) => reqs.sudo[r]!.sources))].sort(),
          section: roles.map((r) => reqs.sudo[r]!.section).join('; '),
          user: h.sudoers.user,
          command,
          rootEquivalent: h.sudoers.rootEquivalent.includes(command),
        });
      }
    }
    const requirementRole = h.roles.some((r) => r in reqs.sudo);
    if (h.selinux.mode !== 'keep') {
      rows.push({
        id: `selinux@${h.name}`,
        kind: 'selinux',
        host: h.name,
        managed: h.managed,
        documents: reqs.selinux?.sources ?? [],
        section: reqs.selinux?.section ?? '',
        mode: h.selinux.mode,
        documented: reqs.selinux?.mode ?? null,
      });
    } else if (requirementRole && reqs.selinux) {
      notApplied.push({ kind: 'selinux', requirement: `SELinux ${reqs.selinux.mode} on ${h.name}`, status: 'not applied', reason: 'selinux: keep in the inventory (the mode is left as found)', documents: reqs.selinux.sources, section: reqs.selinux.section });
    }
  }

  // Documented flows of the selected platforms that open nothing here, and why.
  const opened = new Set(compiled.edges.map((e) => e.flow.id));
  const hosts = Object.values(data.hosts);
  for (const raw of product.flows) {
    const selection = flowSelection(inv, raw);
    if (selection === 'platform-not-selected') continue;
    const flow = effectiveFlow(inv, raw);
    if (opened.has(flow.id)) continue;
    const base = { kind: 'flow' as const, requirement: `${flowLabel(flow)} — ${[flow.platformTitle, flow.method].filter(Boolean).join(' / ')}`, status: 'not applied' as const, documents: flow.sources, section: flow.section };
    const hasDest = hosts.some((h) => takesPart(h, flow.to, flow));
    if (selection === 'method-not-selected') notApplied.push({ ...base, reason: `method "${flow.method}" is not selected (platforms[].method)` });
    else if (selection === 'condition-off') notApplied.push({ ...base, reason: `condition "${flow.condition}" is off (${product.conditions[flow.condition!] ?? flow.condition})` });
    else if (!hasDest) notApplied.push({ ...base, reason: `no host with role "${flow.to}" in the inventory` });
    else notApplied.push({ ...base, reason: `${noSourceReason(data, flow)} (never widened to any)` });
  }

  for (const [role, sudo] of Object.entries(reqs.sudo)) {
    if (!compiled.hosts.some((h) => h.sudoers?.roles.includes(role))) {
      notApplied.push({ kind: 'sudo', requirement: `sudo for role ${role}: ${sudo.commands.join(', ')}`, status: 'not applied', reason: `no host with role "${role}" in the inventory`, documents: sudo.sources, section: sudo.section });
    }
  }
  const granted = new Set(compiled.hosts.flatMap((h) => h.sudoers?.rootEquivalent ?? []));
  for (const command of [...granted].sort()) {
    const roles = Object.entries(reqs.sudo).filter(([, s]) => s.commands.includes(command));
    const on = compiled.hosts.filter((h) => h.sudoers?.commands.includes(command)).map((h) => h.name);
    notApplied.push({
      kind: 'sudo',
      requirement: `sudo ${command} for ${reqs.account?.user ?? 'the service account'}`,
      status: 'flagged',
      reason: `root-equivalent: whoever runs it as ${reqs.account?.user ?? 'the service account'} can become root; granted as documented on ${on.join(', ')}`,
      documents: [...new Set(roles.flatMap(([, s]) => s.sources))].sort(),
      section: roles.map(([, s]) => s.section).join('; '),
    });
  }
  return { rows, notApplied };
}
