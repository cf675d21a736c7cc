/** The firewall resource: picks the backend (auto = firewalld if running, else nftables). */
import { planNftables, nftFactsScript } from './firewall-nftables.js';
import { firewalldFactsScript, planFirewalld } from './firewall-firewalld.js';
import { emptyPlan, type HostFacts, type Resource } from './types.js';
import type { FirewallBackend } from '../core/types.js';

/** The backend in effect on a host: `auto` is firewalld where it runs, else nftables. */
export function effectiveBackend(backend: FirewallBackend, host: Pick<HostFacts, 'firewalldRunning'>): Exclude<FirewallBackend, 'auto'> {
  return backend === 'auto' ? (host.firewalldRunning ? 'firewalld' : 'nftables') : backend;
}

export const firewallResource: Resource = {
  kind: 'firewall',

  factsScript(desired) {
    // Both backends' facts: `auto` is decided from the same round trip.
    // firewalld's state is read only where it runs (its probe starts Python: not for nothing).
    // ($VPROV_FIREWALLD is set by the host section of the same script.)
    return desired.firewall.backend === 'none' ? '' : `${nftFactsScript()}\nif [ -n "$VPROV_FIREWALLD" ]; then\n${firewalldFactsScript()}\nfi`;
  },

  plan(raw, desired, host) {
    const fw = desired.firewall;
    if (fw.backend === 'none') {
      const plan = emptyPlan('firewall', 'not-applicable');
      plan.notes.push('not applicable: firewall: none in the inventory');
      return plan;
    }
    const backend = effectiveBackend(fw.backend, host);
    if (backend === 'firewalld') return planFirewalld(raw, fw, host.firewalldRunning);
    const plan = planNftables(raw, fw, host);
    plan.notes.unshift('backend: nftables (table inet vprov)');
    return plan;
  },
};
