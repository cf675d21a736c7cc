// Shards at scale: `drift --shard i/N` as N vprov processes, as the Kubernetes Indexed Job runs
// them (apply has no --shard), against simulated hosts (lib/sim-ssh.js,
// answers recorded from two real lab hosts), then `vprov report merge` of their reports: wall
// time, CPU and peak RSS of each shard and of the merge, and every host of the merged report
// checked against what its simulated host must give (lib/expect.js: a healthy host changed /
// in sync, a faulty one failed or unreachable — faults whose result does not depend on timing:
// refused, changed host key, sudo that wants a password, facts cut short).
// The simulated hosts each have their own loopback address on one shared listener (addressing
// 'address'), so 40,000 of them need no 40,000 listening sockets; a refused host is reset at
// once instead of refused at SYN (sim-ssh.js says why).
// Alone: node test/bench/shards.js [--hosts 40000] [--shards 4] [--at-once 4] [--faults 0.01]
//   [--seed 1] [--node-every 4] [--out FILE]   (starts 2 lab hosts; options checked before that)
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { JSONParser } from '@streamparser/json';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkHosts, reportHosts } from './lib/expect.js';
import { startFleet } from './lib/fleet.js';
import { measure } from './lib/measure.js';
import { BenchOptionError, parseShardsOptions } from './lib/options.js';
import { addSimHosts, recordAnswers, writeKnownHosts, writeSimInventory } from './lib/sim-inventory.js';
import { SimFleet, evenly, planFaults } from './lib/sim-ssh.js';

const CLI = fileURLToPath(new URL('../../bin/vprov.js', import.meta.url));
/** Faults whose status does not depend on the machine's load (as test/integration/shards.test.ts). */
const FAULT_KINDS = ['refuse', 'host-key', 'sudo-prompt', 'truncated-facts'];

export async function runShards({ fleet, hosts: size, shards = 4, atOnce = shards, faults = 0.01, seed = 1, nodeEvery = 4, log = console.log }) {
  const real = Object.fromEntries(['node', 'hypervisor'].map((role) => [role, fleet.lab.host(fleet.names.find((n) => fleet.roles[n][0] === role))]));
  const out = { hosts: size, nodeEvery, shards, atOnce, faults, seed, loadavg: [], runs: [], problems: [] };
  const sim = new SimFleet({ seed, addressing: 'address' });
  const dir = fleet.lab.dir;
  const load = (when) => {
    const l = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    out.loadavg.push({ when, at: new Date().toISOString(), loadavg: l });
    return l;
  };
  try {
    const hosts = await addSimHosts(sim, size, { nodeEvery });
    const names = hosts.map((h) => h.name);
    const knownHosts = writeKnownHosts(join(dir, `shards-known-${size}`), sim, hosts);
    const inventory = writeSimInventory(join(dir, `shards-${size}.yaml`), hosts, { keyFile: fleet.lab.keyFile, knownHosts });
    const vprov = (...args) => measure(process.execPath, [CLI, ...args]);
    await fleet.reset([real.node.name, real.hypervisor.name]);
    const target = (role) => ({ host: real[role].sshHost, port: real[role].sshPort, user: 'ops', keyFile: fleet.lab.keyFile });
    await recordAnswers(sim, hosts, { node: target('node'), hypervisor: target('hypervisor') }, async (limit) => {
      // Fresh (drift: pending, exit 2), converged by the apply, then in sync.
      for (const [command, want] of [
        ['drift', 2],
        ['apply', 0],
        ['drift', 0],
      ]) {
        const r = await vprov(command, '-i', inventory, '--limit', limit, '--format', 'json');
        if (r.code !== want) out.problems.push(`recording ${command}: exit ${r.code}, not ${want}: ${r.stderr.slice(0, 300)}`);
      }
    });
    const plan = planFaults(names, { seed, rates: evenly(faults, FAULT_KINDS) });
    await sim.setFaults(plan);
    log(
      `\nshards: ${size} simulated hosts (one node in ${nodeEvery}; ${plan.size} faulty, seed ${seed}) as ${shards} shards, ${atOnce} at once, then report merge`,
    );

    for (const command of ['drift']) {
      for (const h of hosts) h.state = 'converged';
      const files = [];
      const simCpu = process.cpuUsage();
      const run = { command, shards: [], merge: null, statuses: {} };
      log(`  ${command}: load average ${load(`${command} start`)}`);
      for (let first = 0; first < shards; first += atOnce) {
        const batch = Array.from({ length: Math.min(atOnce, shards - first) }, (_, k) => first + k + 1);
        const file = (i) => join(dir, `shard-${command}-${size}-${i}.json`);
        // Each shard's JSON report straight to its file, as the Indexed Job's pods write theirs.
        const results = await Promise.all(
          batch.map((i) =>
            measure(process.execPath, [CLI, command, '-i', inventory, '--shard', `${i}/${shards}`, '--format', 'json'], { stdoutFile: file(i) }),
          ),
        );
        for (const [k, r] of results.entries()) {
          const i = batch[k];
          files.push(file(i));
          const n = (await reportHosts(file(i)))?.size ?? null;
          if (n === null) out.problems.push(`${command} shard ${i}/${shards}: no JSON report (exit ${r.code}): ${r.stderr.slice(0, 300)}`);
          run.shards.push({ shard: `${i}/${shards}`, hosts: n, wallMs: r.wallMs, cpuMs: r.cpuMs, rssKb: r.rssKb, code: r.code });
          log(`    shard ${i}/${shards}: ${n} hosts, wall ${s(r.wallMs)}, cpu ${s(r.cpuMs)}, peak rss ${mb(r.rssKb)}, exit ${r.code}`);
        }
        log(`    load average ${load(`${command} shards ${batch.join(',')} done`)}`);
      }
      // The simulator's own CPU (this process: every simulated host's SSH), beside the shards'.
      const used = process.cpuUsage(simCpu);
      run.simulatorCpuMs = (used.user + used.system) / 1000;
      log(`    simulator (this process): cpu ${s(run.simulatorCpuMs)} while the shards ran`);
      const merged = `${files[0]}.merged`;
      const m = await measure(process.execPath, [CLI, 'report', 'merge', ...files, '--format', 'json', '--output', merged]);
      run.merge = { wallMs: m.wallMs, cpuMs: m.cpuMs, rssKb: m.rssKb, code: m.code };
      const doc = await mergedReport(merged);
      if (!doc) out.problems.push(`${command} report merge: no merged report (exit ${m.code}): ${m.stderr.slice(0, 300)}`);
      else {
        const got = new Map(doc.hosts.map((h) => [h.host, h]));
        if (got.size !== doc.hosts.length) out.problems.push(`${command} merged: ${doc.hosts.length - got.size} hosts listed twice`);
        out.problems.push(...checkHosts(`${command} merged`, got, names, plan, command, { code: m.code, stderr: m.stderr }));
        for (const h of doc.hosts) run.statuses[h.status] = (run.statuses[h.status] ?? 0) + 1;
        // One big run's exit code from its statuses: 4 a host failed / unreachable, 2 pending.
        const want = (plan.size ? 4 : 0) | (run.statuses.pending ? 2 : 0);
        if (m.code !== want || doc.exitCode !== want) out.problems.push(`${command} merged: exit ${m.code} (report says ${doc.exitCode}), not ${want}`);
        const refused = doc.hosts.find((h) => plan.get(h.host) === 'refuse');
        run.refusedError = refused?.error ?? null;
      }
      log(
        `    report merge of ${doc?.hosts.length ?? '?'} hosts (${files.length} files): wall ${s(m.wallMs)}, cpu ${s(m.cpuMs)}, peak rss ${mb(m.rssKb)}, exit ${m.code}; ${JSON.stringify(run.statuses)}`,
      );
      log(`    load average ${load(`${command} merge done`)}`);
      out.runs.push(run);
    }
    if (sim.mismatches.length) out.problems.push(`${sim.mismatches.length} scripts without a recorded answer, e.g. ${sim.mismatches[0]}`);
  } finally {
    await sim.close();
  }
  for (const p of out.problems) console.error(`PROBLEM: ${p}`);
  return out;
}

/** The merged report's exitCode and hosts (name, status, error, in its order), read host by host; null when it is no whole report. */
async function mergedReport(file) {
  const hosts = [];
  const parser = new JSONParser({ paths: ['$.exitCode', '$.hosts.*'], keepStack: false });
  let exitCode = null;
  parser.onValue = ({ value, key }) => {
    if (key === 'exitCode') exitCode = value;
    else hosts.push({ host: value.host, status: value.status, error: value.error });
  };
  try {
    for await (const chunk of createReadStream(file)) parser.write(chunk);
  } catch {
    return null;
  }
  return parser.isEnded ? { exitCode, hosts } : null;
}

const s = (x) => (x === null ? '-' : `${(x / 1000).toFixed(2)} s`);
const mb = (kb) => (kb === null ? '-' : `${(kb / 1024).toFixed(0)} MB`);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let o;
  try {
    o = parseShardsOptions(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof BenchOptionError)) throw err;
    console.error(`shards bench: ${err.message}`);
    process.exit(1);
  }
  const fleet = await startFleet(2, (i) => (i === 0 ? 'node' : 'hypervisor'));
  try {
    const r = await runShards({ fleet, ...o });
    if (o.out) writeFileSync(o.out, `${JSON.stringify(r, null, 2)}\n`);
    if (r.problems.length) process.exitCode = 1;
  } finally {
    await fleet.stop();
  }
}
