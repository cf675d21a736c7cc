// The controller side at 1,000..10,000 hosts without 10,000 containers: vprov (the real CLI, as a
// child process) against simulated hosts (lib/sim-ssh.js) whose answers were recorded from
// two real lab hosts — one per role — converging to exactly the desired state of the big
// inventory. Measures wall time, controller CPU (user+sys of vprov's process tree) and peak
// RSS for a first apply on fresh hosts and a drift check on the converged fleet, at the
// default --forks. The simulator runs in this process: its CPU is not counted as vprov's.
//
// faults > 0: each size runs healthy, then with that share of hosts faulty (every kind of
// FAULTS alike, placed by planFaults from the seed), on the same simulated hosts; every host
// must be in the report, every healthy one changed / in sync, no faulty one ok / changed when
// its fault fires in that command. baseline: another vprov build, run interleaved with this
// one (same hosts, same recorded answers, alternating which goes first).
// VPROV_BENCH_NODE_ARGS: extra node options for vprov's process (--cpu-prof, --heap-prof, …).
// Used by run.js; alone: node test/bench/scale.js [--sizes 100,500,1000] (starts 2 lab hosts).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measure, stats } from './lib/measure.js';
import { SimFleet, FAULTS, planFaults, evenly } from './lib/sim-ssh.js';
import { startFleet } from './lib/fleet.js';
import { checkHosts, reportHosts } from './lib/expect.js';
import { addSimHosts, recordAnswers, writeKnownHosts, writeSimInventory } from './lib/sim-inventory.js';

const CLI = fileURLToPath(new URL('../../bin/vprov.js', import.meta.url));

// The limits of the faulty runs (the chaos tier's): each stall meets the limit it is meant to,
// a healthy host stays well inside them on a shared 2-core machine. Healthy runs use them too.
const LIMITS = { connectTimeout: 10, commandTimeout: 12 };
const HOST_TIMEOUT_S = 20;
const DELAYS = { slow: 300, overTime: 7500 };
/**
 * @param {{ fleet: { lab: import('../lab/hosts.js').Lab, names: string[], roles: Record<string, string[]>, reset(names?: string[]): Promise<unknown> }, sizes: number[], rounds?: number, faults?: number, seed?: number, baseline?: string, log?: (s: string) => void }} o
 */
export async function runScale({ fleet, sizes, rounds = 1, faults = 0, seed = 1, baseline, nodeEvery = 4, log = console.log }) {
  const real = Object.fromEntries(['node', 'hypervisor'].map((role) => [role, fleet.lab.host(fleet.names.find((n) => fleet.roles[n][0] === role))]));
  const clis = [{ name: 'this', cli: CLI }, ...(baseline ? [{ name: 'baseline', cli: baseline }] : [])];
  const modes = faults > 0 ? ['healthy', 'faulty'] : ['healthy'];
  const out = {
    sizes: [],
    problems: [],
    faults,
    seed,
    nodeEvery,
    clis: clis.map((c) => ({ name: c.name, cli: c.cli })),
    limits: { ...LIMITS, timeout: HOST_TIMEOUT_S },
  };
  log(
    `\nscale: simulated hosts ${sizes.join(', ')} (answers recorded from ${real.node.name} and ${real.hypervisor.name})${faults ? `; ${(faults * 100).toFixed(1)}% faulty, seed ${seed}` : ''}${baseline ? `; baseline ${baseline}` : ''}; one node in ${nodeEvery} hosts`,
  );
  const nodeArgs = (process.env.VPROV_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  for (const size of sizes) {
    const sim = new SimFleet({ seed, delayMs: DELAYS });
    try {
      const hosts = await addSimHosts(sim, size, { nodeEvery });
      const dir = fleet.lab.dir;
      const knownHosts = writeKnownHosts(join(dir, `sim-known-${size}`), sim, hosts);
      const inventory = writeSimInventory(join(dir, `sim-${size}.yaml`), hosts, {
        keyFile: fleet.lab.keyFile,
        knownHosts,
        ssh: { hostKeys: 'accept-new', ...LIMITS },
      });
      // The JSON report goes to a file and is read host by host: a 10,000-host first apply's
      // report is larger than the longest string V8 makes.
      const report = join(dir, `sim-${size}-report.json`);
      const vprov = async (cli, ...args) => {
        const r = await measure(process.execPath, [...nodeArgs, cli, ...args, '-i', inventory, '--format', 'json', '--timeout', String(HOST_TIMEOUT_S)], {
          stdoutFile: report,
        });
        return { ...r, hosts: await reportHosts(report, { remove: true }) };
      };
      const byHost = (r) => r.hosts;
      const counts = (m) => {
        const c = {};
        for (const h of m?.values() ?? []) c[h.status] = (c[h.status] ?? 0) + 1;
        return c;
      };

      // Record: the first node and hypervisor of the inventory are forwarded to real lab hosts, fresh.
      await fleet.reset([real.node.name, real.hypervisor.name]);
      const target = (role) => ({ host: real[role].sshHost, port: real[role].sshPort, user: 'ops', keyFile: fleet.lab.keyFile });
      const rec = await recordAnswers(sim, hosts, { node: target('node'), hypervisor: target('hypervisor') }, async (limit) => {
        // A drift of the fresh hosts first: after a faulty apply, the hosts it never converged are drifted fresh.
        const recFresh = await vprov(CLI, 'drift', '--limit', limit);
        const recApply = await vprov(CLI, 'apply', '--limit', limit);
        const recDrift = await vprov(CLI, 'drift', '--limit', limit);
        return { fresh: counts(byHost(recFresh)), apply: counts(byHost(recApply)), drift: counts(byHost(recDrift)), stderr: recApply.stderr };
      });
      if (rec.fresh.pending !== 2 || rec.apply.changed !== 2 || rec.drift.ok !== 2)
        out.problems.push(
          `size ${size}: recording run did not see two fresh real hosts pending, then converge them: ${JSON.stringify({ fresh: rec.fresh, apply: rec.apply, drift: rec.drift })} ${rec.stderr.slice(0, 300)}`,
        );
      const names = hosts.map((h) => h.name);

      const plan =
        faults > 0
          ? planFaults(
              hosts.map((h) => h.name),
              { seed, rates: evenly(faults, Object.keys(FAULTS)) },
            )
          : new Map();
      for (const mode of modes) {
        await sim.setFaults(mode === 'faulty' ? plan : new Map());
        const rows = Object.fromEntries(
          clis.map((c) => [c.name, { hosts: size, mode, cli: c.name, faulty: mode === 'faulty' ? plan.size : 0, apply: [], drift: [], statuses: {} }]),
        );
        for (let round = 0; round < rounds; round++) {
          // Alternate which build goes first: neither always meets the same moment of the machine's load.
          const order = (round + sizes.indexOf(size) + modes.indexOf(mode)) % 2 ? [...clis].reverse() : clis;
          for (const c of order) {
            sim.resetStates();
            const apply = await vprov(c.cli, 'apply');
            const drift = await vprov(c.cli, 'drift');
            const row = rows[c.name];
            for (const [phase, r] of [
              ['apply', apply],
              ['drift', drift],
            ]) {
              const got = byHost(r);
              row.statuses[phase] = counts(got);
              out.problems.push(
                ...checkHosts(`size ${size} ${mode} ${c.name} ${phase}`, got, names, mode === 'faulty' ? plan : new Map(), phase, {
                  afterFaultyApply: mode === 'faulty',
                  code: r.code,
                  stderr: r.stderr,
                }),
              );
              row[phase].push({ wallMs: r.wallMs, cpuMs: r.cpuMs, rssKb: r.rssKb, code: r.code });
            }
            log(
              `  ${String(size).padStart(5)} hosts ${mode.padEnd(7)} ${c.name.padEnd(8)} apply wall ${ms(apply.wallMs)} cpu ${ms(apply.cpuMs)} rss ${mb(apply.rssKb)} exit ${apply.code} | drift wall ${ms(drift.wallMs)} cpu ${ms(drift.cpuMs)} rss ${mb(drift.rssKb)} exit ${drift.code}`,
            );
          }
        }
        out.sizes.push(...Object.values(rows));
      }
      if (sim.mismatches.length) out.problems.push(`size ${size}: ${sim.mismatches.length} scripts without a recorded answer, e.g. ${sim.mismatches[0]}`);
    } finally {
      await sim.close();
    }
  }
  // Growth: what each extra host adds, between consecutive sizes (medians), per build and mode.
  const med = (row, phase, k) => stats(row[phase].map((x) => x[k])).median;
  out.growth = [];
  for (const c of clis)
    for (const mode of modes) {
      const rows = out.sizes.filter((r) => r.cli === c.name && r.mode === mode);
      for (let i = 1; i < rows.length; i++) {
        const [a, b] = [rows[i - 1], rows[i]];
        const per = (phase, k) => (med(b, phase, k) - med(a, phase, k)) / (b.hosts - a.hosts);
        out.growth.push({
          cli: c.name,
          mode,
          from: a.hosts,
          to: b.hosts,
          applyCpuMsPerHost: per('apply', 'cpuMs'),
          driftCpuMsPerHost: per('drift', 'cpuMs'),
          applyWallMsPerHost: per('apply', 'wallMs'),
          driftWallMsPerHost: per('drift', 'wallMs'),
          applyRssKbPerHost: per('apply', 'rssKb'),
          driftRssKbPerHost: per('drift', 'rssKb'),
        });
      }
    }
  for (const g of out.growth) {
    log(
      `  ${g.cli} ${g.mode} ${g.from} → ${g.to}: per extra host: drift cpu ${g.driftCpuMsPerHost.toFixed(2)} ms, rss ${g.driftRssKbPerHost.toFixed(1)} KB; apply cpu ${g.applyCpuMsPerHost.toFixed(2)} ms, rss ${g.applyRssKbPerHost.toFixed(1)} KB`,
    );
  }
  for (const p of out.problems) console.error(`PROBLEM: ${p}`);
  return out;
}

const ms = (x) => (x === null ? '-' : `${(x / 1000).toFixed(2)} s`);
const mb = (kb) => (kb === null ? '-' : `${(kb / 1024).toFixed(0)} MB`);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '100,500,1000' },
      rounds: { type: 'string', default: '1' },
      faults: { type: 'string', default: '0' },
      seed: { type: 'string', default: '1' },
      baseline: { type: 'string' },
      // one Storware node in N hosts: a hypervisor's rules list every node, so its cost grows with them
      'node-every': { type: 'string', default: '4' },
    },
  });
  const nodeEvery = Number(values['node-every']);
  if (!Number.isInteger(nodeEvery) || nodeEvery < 2) throw new Error(`--node-every: expected a whole number ≥ 2, got "${values['node-every']}"`);
  const fleet = await startFleet(2, (i) => (i === 0 ? 'node' : 'hypervisor'));
  try {
    const r = await runScale({
      fleet,
      sizes: values.sizes.split(',').map(Number),
      rounds: Number(values.rounds),
      faults: Number(values.faults),
      seed: Number(values.seed),
      baseline: values.baseline && join(values.baseline, 'bin', 'vprov.js'),
      nodeEvery,
    });
    if (r.problems.length) process.exitCode = 1;
  } finally {
    await fleet.stop();
  }
}
