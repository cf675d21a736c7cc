/**
 * A fleet in shards, as the Kubernetes Indexed Job runs it: `drift --shard i/4`, one vprov
 * process per shard, all at once, against simulated hosts (test/bench/lib/sim-ssh.js, answers
 * recorded from two real lab hosts), some of them faulty (refused, changed host key, sudo that
 * wants a password, facts cut short: results that do not depend on timing). Then `vprov report
 * merge` of the four JSON reports, a real process too. The merged report lists every host once,
 * each with the same result as one drift of the whole fleet, and the same exit code; a shard
 * left out is refused naming the files. VPROV_SHARDS_HOSTS changes the fleet size. Peak memory
 * of merge is the benchmark's (npm run bench -- --shards), never asserted here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
// @ts-expect-error plain JavaScript shared with the benchmark
import { planFaults, evenly } from '../bench/lib/sim-ssh.js';
import { runVprov, type BinResult } from '../helpers/bin.js';
import { startSimFleet, type SimFleetHandle } from '../helpers/sim-fleet.js';

const HOSTS = Number(process.env.VPROV_SHARDS_HOSTS ?? 1000);
const SHARDS = 4;
const SEED = 25_4;
const FAULTS = ['refuse', 'host-key', 'sudo-prompt', 'truncated-facts'];

interface HostReport {
  host: string;
  status: string;
  durationMs: number;
}
interface Report {
  exitCode: number;
  shard?: string;
  hosts: HostReport[];
}

let fleet: SimFleetHandle;
let whole: BinResult;
let shards: BinResult[];
const files: string[] = [];

const drift = (...args: string[]) => runVprov(['drift', '-i', fleet.inventory, '--format', 'json', ...args], { limitMs: 900_000 });
const parsed = (r: BinResult, what: string): Report => {
  try {
    return JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`${what}: no JSON report (exit ${r.code}, signal ${r.signal}, hung ${r.hung}): ${r.stderr.slice(0, 2000)}`);
  }
};
/** A host's result without how long it took. */
const comparable = (h: HostReport) => ({ ...h, durationMs: 0 });

beforeAll(async () => {
  fleet = await startSimFleet(HOSTS, { seed: SEED });
  await fleet.sim.setFaults(planFaults(fleet.names, { seed: SEED, rates: evenly(0.08, FAULTS) }));
  fleet.setStates('converged');
  whole = await drift();
  // The shards run at once, each its own process, as the Indexed Job's pods do.
  shards = await Promise.all(Array.from({ length: SHARDS }, (_, i) => drift('--shard', `${i + 1}/${SHARDS}`)));
  shards.forEach((r, i) => {
    const file = join(fleet.dir, `shard-${i + 1}.json`);
    writeFileSync(file, r.stdout);
    files.push(file);
  });
}, 1_800_000);

afterAll(async () => {
  await fleet?.stop();
});

describe(`drift of ${HOSTS} simulated hosts in ${SHARDS} shards, then report merge`, () => {
  it('each shard ran its own hosts only, and the fleet has every kind of result', () => {
    const all = parsed(whole, 'the whole fleet');
    expect(all.hosts).toHaveLength(HOSTS);
    expect(new Set(all.hosts.map((h) => h.status))).toEqual(new Set(['ok', 'failed', 'unreachable']));
    const sizes = shards.map((r, i) => {
      const rep = parsed(r, `shard ${i + 1}`);
      expect(rep.shard).toBe(`${i + 1}/${SHARDS}`);
      return rep.hosts.length;
    });
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(HOSTS);
    for (const n of sizes) expect(n).toBeGreaterThan(HOSTS / SHARDS / 2);
    expect(fleet.sim.mismatches).toEqual([]);
  });

  it('the merged report: every host once, each with the result of one run of the whole fleet, the same exit code', async () => {
    const merge = await runVprov(['report', 'merge', ...files, '--format', 'json'], { limitMs: 300_000 });
    const merged = parsed(merge, 'report merge');
    const all = parsed(whole, 'the whole fleet');
    expect(merged.hosts.map((h) => h.host)).toEqual([...fleet.names].sort());
    const byHost = new Map(all.hosts.map((h) => [h.host, comparable(h)]));
    const differ = merged.hosts.filter((h) => !isDeepStrictEqual(comparable(h), byHost.get(h.host))).map((h) => h.host);
    expect(differ).toEqual([]);
    expect(merge.code).toBe(whole.code);
    expect(merged.exitCode).toBe(all.exitCode);
    expect(merged).not.toHaveProperty('shard');
  });

  it('a shard left out, or given twice: exit 1 naming the files, nothing on stdout', async () => {
    const missing = await runVprov(['report', 'merge', files[0]!, files[1]!, files[3]!, '--format', 'json']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/shard 3\/4 missing \(given: .*shard-1\.json = 1\/4, .*shard-2\.json = 2\/4, .*shard-4\.json = 4\/4\)/);
    const twice = await runVprov(['report', 'merge', ...files, files[2]!, '--format', 'json']);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/is in two reports, .*shard-3\.json and .*shard-3\.json/);
  });
});
