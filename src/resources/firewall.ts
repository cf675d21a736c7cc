/** The firewall resource: picks the backend (auto = firewalld if running, else nftables). */
import { planNftables, nftFactsScript } from './firewall-nftables.js';
import { emptyPlan, type Resource } from './types.js';

export const firewallResource: Resource = {
  kind: 'firewall',

  factsScript(desired) {
    return desired.firewall.backend === 'none' ? '' : nftFactsScript();
  },

  plan(raw, desired, host) {
    const fw = desired.firewall;
    if (fw.backend === 'none') {
      const plan = emptyPlan('firewall', 'not-applicable');
      plan.notes.push('not applicable: firewall: none in the inventory');
      return plan;
    }
    const backend = fw.backend === 'auto' ? (host.firewalldRunning ? 'firewalld' : 'nftables') : fw.backend;
    if (backend === 'firewalld') {
      const plan = emptyPlan('firewall', 'pending');
      plan.changes.push('! firewalld backend: not available in this version (use firewall: nftables or none)');
      plan.script = `echo "firewalld backend not available in this version of vprov" >&2; exit 3`;
      return plan;
    }
    return planNftables(raw, fw, host);
  },
};
