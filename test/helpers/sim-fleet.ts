/**
 * A simulated fleet for tests at scale: N hosts of test/bench/lib/sim-ssh.js (one listener per
 * loopback port), built by test/bench/lib/sim-inventory.js as the benchmarks build theirs, whose
 * answers are recorded first from two real lab hosts (one per role, fresh, then converged by a
 * real apply). Hosts s0, s4, s8 … are Storware nodes, the rest hypervisors.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error plain JavaScript shared with the benchmark
import { addSimHosts, recordAnswers, writeKnownHosts, writeSimInventory } from '../bench/lib/sim-inventory.js';
// @ts-expect-error plain JavaScript shared with the benchmark
import { SimFleet } from '../bench/lib/sim-ssh.js';
import { startLab } from '../lab/hosts.js';
import { runVprov } from './bin.js';

export interface SimHost {
  name: string;
  role: string;
  address: string;
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
    const hosts: SimHost[] = await addSimHosts(sim, size);
    const knownHosts = writeKnownHosts(join(lab.dir, 'sim-known'), sim, hosts);
    const inventory = writeSimInventory(join(lab.dir, 'sim.yaml'), hosts, { keyFile: lab.keyFile, knownHosts, ssh: limits });
    // The recording talks to real lab hosts on a shared machine: the default limits.
    // Same file name, so the same site: the host record the recording leaves names the site the runs use.
    mkdirSync(join(lab.dir, 'record'));
    const recording = writeSimInventory(join(lab.dir, 'record', 'sim.yaml'), hosts, { keyFile: lab.keyFile, knownHosts });
    const target = (role: string) => ({ host: lab.host(role).sshHost, port: lab.host(role).sshPort, user: 'ops', keyFile: lab.keyFile });
    const rec = await recordAnswers(sim, hosts, { node: target('node'), hypervisor: target('hypervisor') }, async (limit: string) => {
      const runs = [];
      for (const command of ['apply', 'drift'])
        runs.push(await runVprov([command, '-i', recording, '--limit', limit, '--format', 'json'], { limitMs: 300_000 }));
      return runs;
    });
    if (rec.some((r: { code: number | null }) => r.code !== 0))
      throw new Error(
        `recording the simulated hosts' answers failed: ${rec.map((r: { code: number | null; stderr: string }) => `exit ${r.code}: ${r.stderr.slice(0, 500)}`).join('; ')}`,
      );
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
