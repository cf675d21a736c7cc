/**
 * The firewall resource: picks the backend (auto = firewalld if running, else nftables), and
 * removes vprov's objects of the backend a host no longer uses.
 */
import { planNftables, nftFactsScript, readNftFacts, removeNftables } from './firewall-nftables.js';
import { firewalldFailed, firewalldFilesScript, firewalldRuntimeScript, planFirewalld, removeFirewalld } from './firewall-firewalld.js';
import { emptyPlan, type HostFacts, type Resource, type ResourcePlan } from './types.js';
import type { FirewallBackend, HostDesired } from '../core/types.js';

/**
 * The backend in effect on a host: `auto` is firewalld where it runs or is starting (or where its
 * unit failed: that host was meant to run it, and the firewalld plan says why it cannot), else nftables.
 */
export function effectiveBackend(backend: FirewallBackend, host: Pick<HostFacts, 'firewalldRunning' | 'firewalldDown'>): Exclude<FirewallBackend, 'auto'> {
  return backend === 'auto' ? (host.firewalldRunning || firewalldFailed(host) ? 'firewalld' : 'nftables') : backend;
}

export const firewallResource: Resource = {
  kind: 'firewall',

  factsScript(desired) {
    // Both backends' facts: `auto` is decided from the same round trip, and the backend not in
    // use is checked for vprov objects left behind. firewalld's runtime is read only where it
    // runs and may be the backend (its probe starts Python, and waits for a firewalld that is
    // starting: not for an nftables host). ($VPROV_FIREWALLD: set by the host section.)
    const runtime = desired.firewall.backend === 'firewalld' || desired.firewall.backend === 'auto';
    return [nftFactsScript(), firewalldFilesScript(), ...(runtime ? [`if [ -n "$VPROV_FIREWALLD" ]; then\n${firewalldRuntimeScript()}\nfi`] : [])].join('\n');
  },

  plan(raw, desired, host) {
    const plan = planFirewall(raw, desired, host);
    // A site's rules cite every product, document and section they serve.
    if (plan.status !== 'not-applicable' && desired.firewall.provenance) plan.notes.push(...desired.firewall.provenance);
    return plan;
  },
};

function planFirewall(raw: string, desired: HostDesired, host: HostFacts): ResourcePlan {
  const fw = desired.firewall;
  if (fw.backend === 'none') return planNone(raw, host);
  const backend = effectiveBackend(fw.backend, host);
  if (backend === 'firewalld') {
    const plan = planFirewalld(raw, fw, host);
    const nft = readNftFacts(raw);
    return 'error' in nft ? plan : withCleanup(plan, removeNftables(nft, host.systemd, 'the backend is firewalld now'));
  }
  const plan = withCleanup(planNftables(raw, fw, host), removeFirewalld(raw, host.firewalldRunning));
  plan.notes.unshift('backend: nftables (table inet vprov)');
  if (host.firewalldRunning) plan.notes.push('firewalld runs on this host: its zones reject what they do not allow, whatever vprov\'s table accepts; consider firewall: firewalld');
  return plan;
}

/** firewall: none — vprov manages nothing, but says what of its own is still there. */
function planNone(raw: string, host: HostFacts): ResourcePlan {
  const plan = emptyPlan('firewall', 'not-applicable');
  plan.notes.push('not applicable: firewall: none in the inventory');
  const nft = readNftFacts(raw);
  const leftovers = [...('error' in nft ? [] : removeNftables(nft, host.systemd, 'left from an earlier backend')?.changes ?? []), ...(removeFirewalld(raw, host.firewalldRunning)?.changes ?? [])];
  if (leftovers.length > 0) plan.warnings.push(`vprov objects still present although firewall: none (remove them, or choose a backend to have vprov remove them): ${leftovers.map((l) => l.slice(2)).join('; ')}`);
  return plan;
}

/** Add the removal of the other backend's objects to a plan that did not fail. */
function withCleanup(plan: ResourcePlan, cleanup: { changes: string[]; script: string } | null): ResourcePlan {
  if (!cleanup || plan.status === 'failed' || plan.changes.some((c) => c.startsWith('!'))) return plan;
  return { ...plan, status: 'pending', changes: [...plan.changes, ...cleanup.changes], script: [plan.script, cleanup.script].filter(Boolean).join('\n') };
}
