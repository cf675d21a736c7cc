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
import { createReadStream, rmSync, writeFileSync } from 'node:fs';
import { JSONParser } from '@streamparser/json';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { measure, stats } from './lib/measure.js';
import { SimFleet, FAULTS, planFaults, evenly } from './lib/sim-ssh.js';
import { startFleet } from './lib/fleet.js';

const CLI = fileURLToPath(new URL('../../bin/vprov.js', import.meta.url));
const roleOf = (i) => (i % 4 === 0 ? 'node' : 'hypervisor');

// The limits of the faulty runs (the chaos tier's): each stall meets the limit it is meant to,
// a healthy host stays well inside them on a shared 2-core machine. Healthy runs use them too.
const LIMITS = { connectTimeout: 10, commandTimeout: 12 };
const HOST_TIMEOUT_S = 20;
const DELAYS = { slow: 300, overTime: 7500 };
/** Faults that never fire in a drift (no apply script is sent): those hosts answer as healthy. */
const APPLY_ONLY = new Set(['reset-apply', 'stall-apply']);
/** Faults a host can meet and still end as it should (late, within every limit). */
const HARMLESS = new Set(['slow']);

/**
 * @param {{ fleet: { lab: import('../lab/hosts.js').Lab, names: string[], roles: Record<string, string[]>, reset(names?: string[]): Promise<unknown> }, sizes: number[], rounds?: number, faults?: number, seed?: number, baseline?: string, log?: (s: string) => void }} o
 */
export async function runScale({ fleet, sizes, rounds = 1, faults = 0, seed = 1, baseline, log = console.log }) {
  const real = Object.fromEntries(['node', 'hypervisor'].map((role) => [role, fleet.lab.host(fleet.names.find((n) => fleet.roles[n][0] === role))]));
  const clis = [{ name: 'this', cli: CLI }, ...(baseline ? [{ name: 'baseline', cli: baseline }] : [])];
  const modes = faults > 0 ? ['healthy', 'faulty'] : ['healthy'];
  const out = { sizes: [], problems: [], faults, seed, clis: clis.map((c) => ({ name: c.name, cli: c.cli })), limits: { ...LIMITS, timeout: HOST_TIMEOUT_S } };
  log(
    `\nscale: simulated hosts ${sizes.join(', ')} (answers recorded from ${real.node.name} and ${real.hypervisor.name})${faults ? `; ${(faults * 100).toFixed(1)}% faulty, seed ${seed}` : ''}${baseline ? `; baseline ${baseline}` : ''}`,
  );
  const nodeArgs = (process.env.VPROV_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  for (const size of sizes) {
    const sim = new SimFleet({ seed, delayMs: DELAYS });
    try {
      const hosts = [];
      for (let i = 0; i < size; i++) hosts.push(await sim.addHost(`s${i}`, roleOf(i)));
      const dir = fleet.lab.dir;
      const knownHosts = join(dir, `sim-known-${size}`);
      writeFileSync(knownHosts, hosts.map((h) => `[127.0.0.1]:${h.port} ${sim.publicKeyLine()}\n`).join(''));
      const inventory = join(dir, `sim-${size}.yaml`);
      writeFileSync(
        inventory,
        stringify({
          product: 'storware',
          platforms: [{ platform: 'openstack', method: 'SSH transfer', options: { netcat: true } }],
          defaults: {
            ssh: { user: 'ops', identityFile: fleet.lab.keyFile, become: true, hostKeys: 'accept-new', knownHostsFile: knownHosts, ...LIMITS },
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
      // The JSON report goes to a file and is read host by host: a 10,000-host first apply's
      // report is larger than the longest string V8 makes.
      const report = join(dir, `sim-${size}-report.json`);
      const vprov = async (cli, ...args) => {
        const r = await measure(process.execPath, [...nodeArgs, cli, ...args, '-i', inventory, '--format', 'json', '--timeout', String(HOST_TIMEOUT_S)], {
          stdoutFile: report,
        });
        return { ...r, hosts: await reportHosts(report) };
      };
      const byHost = (r) => r.hosts;
      const counts = (m) => {
        const c = {};
        for (const h of m?.values() ?? []) c[h.status] = (c[h.status] ?? 0) + 1;
        return c;
      };

      // Record: the first node and hypervisor of the inventory are forwarded to real lab hosts, fresh.
      const recorded = [hosts[0], hosts[1]];
      await fleet.reset([real.node.name, real.hypervisor.name]);
      for (const h of recorded) sim.record(h, { host: real[h.role].sshHost, port: real[h.role].sshPort, user: 'ops', keyFile: fleet.lab.keyFile });
      const limit = recorded.map((h) => h.name).join(',');
      const recApply = await vprov(CLI, 'apply', '--limit', limit);
      const recDrift = await vprov(CLI, 'drift', '--limit', limit);
      const rec = { apply: counts(byHost(recApply)), drift: counts(byHost(recDrift)) };
      if (rec.apply.changed !== 2 || rec.drift.ok !== 2)
        out.problems.push(`size ${size}: recording run did not converge two real hosts: ${JSON.stringify(rec)} ${recApply.stderr.slice(0, 300)}`);
      for (const h of recorded) sim.replay(h);

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
              check(out.problems, `size ${size} ${mode} ${c.name} ${phase}`, got, hosts, mode === 'faulty' ? plan : new Map(), phase, r);
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

/**
 * Every host once; a healthy host changed (apply) or in sync (drift); a host whose fault fires
 * in this command never ok or changed (a slow one may be).
 */
function check(problems, what, got, hosts, plan, phase, r) {
  if (!got) return problems.push(`${what}: no JSON report (exit ${r.code}): ${r.stderr.slice(0, 300)}`);
  if (got.size !== hosts.length) problems.push(`${what}: ${got.size} hosts in the report, not ${hosts.length}`);
  const want = phase === 'apply' ? 'changed' : 'ok';
  const bad = [];
  for (const h of hosts) {
    const rep = got.get(h.name);
    const fault = plan.get(h.name);
    const healthy = !fault || HARMLESS.has(fault) || (phase === 'drift' && (APPLY_ONLY.has(fault) || fault === 'over-time'));
    if (!rep) bad.push(`${h.name} missing`);
    else if (healthy && rep.status !== want) bad.push(`${h.name}${fault ? ` (${fault})` : ''} ${rep.status}${rep.error ? `: ${rep.error.slice(0, 120)}` : ''}`);
    else if (!healthy && (rep.status === 'ok' || rep.status === 'changed')) bad.push(`${h.name} (${fault}) ${rep.status}`);
  }
  if (bad.length) problems.push(`${what}: ${bad.length} hosts not as expected, e.g. ${bad.slice(0, 4).join('; ')}`);
}

/** host → { host, status, error } of a JSON report file, read host by host; null when it is no whole report. */
async function reportHosts(file) {
  const hosts = new Map();
  const parser = new JSONParser({ paths: ['$.hosts.*'], keepStack: false });
  parser.onValue = ({ value }) => hosts.set(value.host, { host: value.host, status: value.status, error: value.error });
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(file)) {
      bytes += chunk.length;
      parser.write(chunk);
    }
    if (bytes === 0) return null;
    // The parser ends by itself once the document closes; a cut document has not.
    if (!parser.isEnded) parser.end();
  } catch {
    return null;
  } finally {
    rmSync(file, { force: true });
  }
  return parser.isEnded ? hosts : null;
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
    },
  });
  const fleet = await startFleet(2, (i) => (i === 0 ? 'node' : 'hypervisor'));
  try {
    const r = await runScale({
      fleet,
      sizes: values.sizes.split(',').map(Number),
      rounds: Number(values.rounds),
      faults: Number(values.faults),
      seed: Number(values.seed),
      baseline: values.baseline && join(values.baseline, 'bin', 'vprov.js'),
    });
    if (r.problems.length) process.exitCode = 1;
  } finally {
    await fleet.stop();
  }
}
