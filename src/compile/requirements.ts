/**
 * The requirements one deployment must meet, one row per thing to prove on a host (each flow
 * per destination, the account, each sudo command, the SELinux mode, …), and the documented
 * requirements that were not applied, with the reason. What evidence checks hosts against.
 * Each resource module states its own rows (resources/registry.ts); this puts them in order:
 * the rows that span hosts first, then each host's; each host's not-applied first, then the
 * deployment's, then the contradictions between products the inventory settled. Pure.
 */
import type { Inventory } from '../inventory/load.js';
import type { CompileResult } from './compile.js';
import { RESOURCES } from '../resources/registry.js';
import type { NotApplied, RequirementsContext, RowBase } from '../resources/module.js';

export type { NotApplied };
export type RequirementRow = RowBase;
export { flowLabel } from '../resources/firewall.js';

export function requirementsOf(inv: Inventory, compiled: CompileResult): { rows: RowBase[]; notApplied: NotApplied[] } {
  const ctx: RequirementsContext = { inv, hosts: compiled.hosts, edges: compiled.edges };
  const deployment = RESOURCES.map((m) => m.requirements(ctx));
  const perHost = compiled.hosts.flatMap((h) => RESOURCES.map((m) => m.requirements(ctx, h)));
  // Contradictions between products that the inventory settled: an auditor sees who decided what.
  const decisions = compiled.decisions.map(
    (d): NotApplied => ({
      kind: d.what === 'SELinux mode' ? 'selinux' : 'account',
      requirement: `${d.what} on ${d.host}: ${d.value}`,
      status: 'flagged',
      reason: `decided by ${d.setting}: ${d.products.join('; ')}`,
      documents: [],
      section: 'inventory',
    }),
  );
  return {
    rows: [...deployment, ...perHost].flatMap((r) => r.rows),
    notApplied: [...perHost.flatMap((r) => r.notApplied), ...deployment.flatMap((r) => r.notApplied), ...decisions],
  };
}
