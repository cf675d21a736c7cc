// A simulated fleet's hosts and files, built one way for the benchmarks (scale.js, shards.js)
// and the tiers at scale (test/helpers/sim-fleet.ts): hosts s0, s1 … on a SimFleet (s0, s4,
// s8 … Storware nodes by default, the rest hypervisors), the known_hosts file written ahead (as after a
// first contact), a Storware inventory whose hosts connect to them, and the recording of their
// answers from one real lab host per role.
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export const roleOf = (i, nodeEvery = 4) => (i % nodeEvery === 0 ? 'node' : 'hypervisor');

/**
 * `size` simulated hosts s0 … on `sim`; every `nodeEvery`-th a Storware node. A hypervisor's
 * rules name every node of the site, so its facts and plan grow with the nodes: at 40,000 hosts,
 * one node in four is 10,000 addresses per hypervisor set.
 */
export async function addSimHosts(sim, size, { nodeEvery = 4 } = {}) {
  const hosts = [];
  for (let i = 0; i < size; i++) hosts.push(await sim.addHost(`s${i}`, roleOf(i, nodeEvery)));
  return hosts;
}

/** Every host's line, for a knownHostsFile that already knows them. */
export function writeKnownHosts(file, sim, hosts) {
  writeFileSync(file, hosts.map((h) => `${sim.knownHostsLine(h)}\n`).join(''));
  return file;
}

/**
 * The inventory of the simulated hosts: each its own made-up address (10.x.y.z) for the rules,
 * the simulator's address and port to connect to; `ssh` joins the defaults' ssh settings.
 */
export function writeSimInventory(file, hosts, { keyFile, knownHosts, ssh = {} }) {
  writeFileSync(
    file,
    stringify({
      product: 'storware',
      platforms: [{ platform: 'openstack', method: 'SSH transfer', options: { netcat: true } }],
      defaults: {
        ssh: { user: 'ops', identityFile: keyFile, become: true, hostKeys: 'strict', knownHostsFile: knownHosts, ...ssh },
        firewall: 'nftables',
        selinux: 'permissive',
      },
      hosts: Object.fromEntries(
        hosts.map((h, i) => [
          h.name,
          { address: `10.${((i + 1) >> 16) & 255}.${((i + 1) >> 8) & 255}.${(i + 1) & 255}`, roles: [h.role], ssh: { host: h.address, port: h.port } },
        ]),
      ),
    }),
  );
  return file;
}

/**
 * Record the answers: the first node and hypervisor are forwarded to `targets[role]` (a real lab
 * host: { host, port, user, keyFile }) while `run(limit)` runs vprov on them (--limit s0,s1);
 * afterwards they replay like the others.
 */
export async function recordAnswers(sim, hosts, targets, run) {
  const recorded = ['node', 'hypervisor'].map((role) => hosts.find((h) => h.role === role));
  for (const h of recorded) sim.record(h, targets[h.role]);
  try {
    return await run(recorded.map((h) => h.name).join(','));
  } finally {
    for (const h of recorded) sim.replay(h);
  }
}
