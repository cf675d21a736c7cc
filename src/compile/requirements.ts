/**
 * The requirements one deployment must meet, one row per thing to prove on a host (each flow
 * per destination, the account, each sudo command, the SELinux mode), and the documented
 * requirements that were not applied, with the reason. What evidence checks hosts against. Pure.
 */
import type { Flow, SelinuxMode } from '../core/types.js';
import type { Inventory } from '../inventory/load.js';
import type { CompileResult } from './compile.js';
import { effectiveFlow, flowSelection, siteConditionOn } from './compile.js';
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
  kind: 'flow' | 'sudo' | 'selinux' | 'account';
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
  const { data } = inv;
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
  // Which product a qualified role belongs to (storware/node → storware, node).
  const owner = (qualified: string) => {
    const sp = inv.products.find((p) => qualified.startsWith(p.prefix) && qualified.slice(p.prefix.length) in p.product.requirements.sudo)!;
    return { sp, role: qualified.slice(sp.prefix.length) };
  };
  const union = (lists: string[][]) => (lists.length === 1 ? lists[0]! : [...new Set(lists.flat())].sort());
  for (const h of compiled.hosts) {
    // The products that ask something of this host (it holds one of their sudo roles).
    const asking = inv.products.filter((sp) => h.roles.some((r) => r.startsWith(sp.prefix) && r.slice(sp.prefix.length) in sp.product.requirements.sudo));
    const accounts = asking.flatMap((sp) => (sp.product.requirements.account ? [sp.product.requirements.account] : []));
    if (h.account && accounts.length > 0) {
      rows.push({ id: `account:${h.account.name}@${h.name}`, kind: 'account', host: h.name, managed: h.managed, documents: union(accounts.map((a) => a.sources)), section: [...new Set(accounts.map((a) => a.section))].join('; '), user: h.account.name, groups: h.account.groups });
    }
    if (h.sudoers) {
      for (const command of h.sudoers.commands) {
        const sudo = h.sudoers.roles.map(owner).map(({ sp, role }) => sp.product.requirements.sudo[role]!).filter((x) => x.commands.includes(command));
        rows.push({
          id: `sudo:${command}@${h.name}`,
          kind: 'sudo',
          host: h.name,
          managed: h.managed,
          documents: [...new Set(sudo.flatMap((x) => x.sources))].sort(),
          section: sudo.map((x) => x.section).join('; '),
          user: h.sudoers.user,
          command,
          rootEquivalent: h.sudoers.rootEquivalent.includes(command),
        });
      }
    }
    const selinux = asking.flatMap((sp) => (sp.product.requirements.selinux ? [sp.product.requirements.selinux] : []));
    if (h.selinux.mode !== 'keep') {
      // A mode set on a host no product asks it of still cites what the products document.
      if (selinux.length === 0) selinux.push(...inv.products.flatMap((sp) => (sp.product.requirements.selinux ? [sp.product.requirements.selinux] : [])));
      const modes = new Set(selinux.map((x) => x.mode));
      rows.push({
        id: `selinux@${h.name}`,
        kind: 'selinux',
        host: h.name,
        managed: h.managed,
        documents: union(selinux.map((x) => x.sources)),
        section: [...new Set(selinux.map((x) => x.section))].join('; '),
        mode: h.selinux.mode,
        documented: modes.size === 1 ? [...modes][0]! : null,
      });
    } else {
      for (const x of selinux) {
        notApplied.push({ kind: 'selinux', requirement: `SELinux ${x.mode} on ${h.name}`, status: 'not applied', reason: 'selinux: keep in the inventory (the mode is left as found)', documents: x.sources, section: x.section });
      }
    }
  }

  // Documented flows of the selected platforms that open nothing here, and why.
  const opened = new Set(compiled.edges.map((e) => e.flow.id));
  const hosts = Object.values(data.hosts);
  for (const sp of inv.products) {
    const { product } = sp;
    for (const raw of product.flows) {
      const selection = flowSelection(sp, raw);
      if (selection === 'platform-not-selected') continue;
      const flow = effectiveFlow(sp, raw);
      if (opened.has(flow.id)) continue;
      const base = { kind: 'flow' as const, requirement: `${flowLabel(flow)} — ${[flow.platformTitle, flow.method].filter(Boolean).join(' / ')}`, status: 'not applied' as const, documents: flow.sources, section: flow.section };
      const hasDest = hosts.some((h) => takesPart(h, flow.to, flow));
      const at = sp.prefix ? `products.${product.id}.platforms` : 'platforms';
      if (selection === 'method-not-selected') notApplied.push({ ...base, reason: `method "${flow.method}" is not selected (${at}[].method)` });
      else if (selection === 'condition-off') notApplied.push({ ...base, reason: `condition "${flow.condition}" is off (${product.conditions[flow.condition!] ?? flow.condition})` });
      else if (!hasDest) notApplied.push({ ...base, reason: `no host with role "${flow.to}" in the inventory` });
      else notApplied.push({ ...base, reason: `${noSourceReason(data, flow)} (never widened to any)` });
    }
  }
  // The site's own flows that open nothing, and why.
  for (const flow of inv.siteFlows) {
    if (opened.has(flow.id)) continue;
    const base = { kind: 'flow' as const, requirement: `${flowLabel(flow)} — the site's own flow`, status: 'not applied' as const, documents: flow.sources, section: flow.section };
    if (!siteConditionOn(inv, flow.condition)) notApplied.push({ ...base, reason: `condition "${flow.condition}" is off` });
    else if (!hosts.some((h) => takesPart(h, flow.to, flow))) notApplied.push({ ...base, reason: `no host with role "${flow.to}" in the inventory` });
    else notApplied.push({ ...base, reason: `${noSourceReason(data, flow)} (never widened to any)` });
  }

  for (const sp of inv.products) {
    for (const [role, sudo] of Object.entries(sp.product.requirements.sudo)) {
      const qualified = sp.prefix + role;
      if (!compiled.hosts.some((h) => h.sudoers?.roles.includes(qualified))) {
        notApplied.push({ kind: 'sudo', requirement: `sudo for role ${qualified}: ${sudo.commands.join(', ')}`, status: 'not applied', reason: `no host with role "${qualified}" in the inventory`, documents: sudo.sources, section: sudo.section });
      }
    }
  }
  const granted = new Set(compiled.hosts.flatMap((h) => h.sudoers?.rootEquivalent ?? []));
  for (const command of [...granted].sort()) {
    const lists = inv.products.flatMap((sp) => Object.values(sp.product.requirements.sudo)).filter((s) => s.commands.includes(command));
    const users = compiled.hosts.filter((h) => h.sudoers?.commands.includes(command));
    const user = users[0]?.sudoers?.user ?? 'the service account';
    notApplied.push({
      kind: 'sudo',
      requirement: `sudo ${command} for ${user}`,
      status: 'flagged',
      reason: `root-equivalent: whoever runs it as ${user} can become root; granted as documented on ${users.map((h) => h.name).join(', ')}`,
      documents: [...new Set(lists.flatMap((s) => s.sources))].sort(),
      section: lists.map((s) => s.section).join('; '),
    });
  }
  // Contradictions between products that the inventory settled: an auditor sees who decided what.
  for (const d of compiled.decisions) {
    notApplied.push({ kind: d.what === 'SELinux mode' ? 'selinux' : 'account', requirement: `${d.what} on ${d.host}: ${d.value}`, status: 'flagged', reason: `decided by ${d.setting}: ${d.products.join('; ')}`, documents: [], section: 'inventory' });
  }
  return { rows, notApplied };
}
