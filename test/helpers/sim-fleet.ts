/**
 * A simulated fleet for tests at scale: N hosts of test/bench/lib/sim-ssh.js (one ssh2 server per
 * loopback port), whose answers are recorded first from two real lab hosts (one per role, fresh,
 * then converged by a real apply). Hosts s0, s4, s8 … are Storware nodes, the rest hypervisors.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
// @ts-expect-error plain JavaScript shared with the benchmark
import { SimFleet } from '../bench/lib/sim-ssh.js';
import { startLab } from '../lab/hosts.js';
import { runVprov } from './bin.js';

export interface SimHost {
  name: string;
  role: string;
  port: number;
  state: string;
}

export interface SimFleetHandle {
  sim: {
    hosts: SimHost[];
    mismatches: string[];
    connected: Map<string, number>;
    onScript: ((host: SimHost, isApply: boolean) => void) | null;
    setFaults(plan: Map<string, string>): Promise<void>;
  };
  names: string[];
  /** the inventory with `limits` (ssh.connectTimeout / commandTimeout) for the simulated hosts */
  inventory: string;
  dir: string;
  /** every host fresh (before an apply) or converged (before a drift) */
  setStates(state: 'fresh' | 'converged'): void;
  stop(): Promise<void>;
}

export async function startSimFleet(
  size: number,
  {
    seed = 1,
    delayMs = {},
    limits = {},
  }: { seed?: number; delayMs?: { slow?: number; overTime?: number }; limits?: { connectTimeout?: number; commandTimeout?: number } } = {},
): Promise<SimFleetHandle> {
  const lab = await startLab([{ name: 'node' }, { name: 'hypervisor' }]);
  const sim = new SimFleet({ seed, delayMs });
  try {
    const hosts: SimHost[] = [];
    for (let i = 0; i < size; i++) hosts.push(await sim.addHost(`s${i}`, i % 4 === 0 ? 'node' : 'hypervisor'));
    const knownHosts = join(lab.dir, 'sim-known');
    writeFileSync(knownHosts, hosts.map((h) => `[127.0.0.1]:${h.port} ${sim.publicKeyLine()}\n`).join(''));
    const write = (file: string, own: object) =>
      writeFileSync(
        file,
        stringify({
          product: 'storware',
          platforms: [{ platform: 'openstack', method: 'SSH transfer', options: { netcat: true } }],
          defaults: {
            ssh: { user: 'ops', identityFile: lab.keyFile, become: true, hostKeys: 'strict', knownHostsFile: knownHosts, ...own },
            firewall: 'nftables',
            selinux: 'permissive',
          },
          hosts: Object.fromEntries(
            hosts.map((h, i) => [
              h.name,
              { address: `10.${((i + 1) >> 16) & 255}.${((i + 1) >> 8) & 255}.${(i + 1) & 255}`, roles: [h.role], ssh: { host: '127.0.0.1', port: h.port } },
            ]),
          ),
        }),
      );
    const inventory = join(lab.dir, 'sim.yaml');
    write(inventory, limits);
    // The recording talks to real lab hosts on a shared machine: the default limits.
    // Same file name, so the same site: the host record the recording leaves names the site the runs use.
    mkdirSync(join(lab.dir, 'record'));
    const recording = join(lab.dir, 'record', 'sim.yaml');
    write(recording, {});
    for (const h of hosts.slice(0, 2)) sim.record(h, { host: lab.host(h.role).sshHost, port: lab.host(h.role).sshPort, user: 'ops', keyFile: lab.keyFile });
    const rec = [];
    for (const command of ['apply', 'drift'])
      rec.push(await runVprov([command, '-i', recording, '--limit', 's0,s1', '--format', 'json'], { limitMs: 300_000 }));
    if (rec.some((r) => r.code !== 0))
      throw new Error(`recording the simulated hosts' answers failed: ${rec.map((r) => `exit ${r.code}: ${r.stderr.slice(0, 500)}`).join('; ')}`);
    for (const h of hosts.slice(0, 2)) sim.replay(h);
    return {
      sim,
      names: hosts.map((h) => h.name),
      inventory,
      dir: lab.dir,
      setStates: (state) => {
        for (const h of hosts) h.state = state;
      },
      stop: async () => {
        await sim.close();
        await lab.stop();
      },
    };
  } catch (err) {
    await sim.close();
    await lab.stop();
    throw err;
  }
}
