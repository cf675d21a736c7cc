#!/usr/bin/env node
// npm run bench [-- --hosts 12 --rounds 3 --tools vprov,vprov-js,ansible,mitogen,floor --scale 100,500,1000 --out FILE --doc docs/benchmarks.md [--doc-section results-100]]
//
// vprov against Ansible on the same lab fleet, side by side in one run: interleaved rounds of
// (1) first apply on fresh hosts, (2) no-op re-apply, (3) check / drift on the converged fleet,
// for vprov, tuned Ansible, Ansible with the mitogen strategy and the OpenSSH floor. Every
// tool's end state is read from outside (docker exec) and must equal vprov's. Then start-up,
// compile and the controller side at 100..1,000 simulated hosts (test/bench/scale.js).
// Prints min/median per figure and the ratios; writes every sample as JSON. Figures only:
// nothing here passes or fails on time. Needs the lab image (npm run lab) and npm run build.
import { spawnSync } from 'node:child_process';
import { cpus, totalmem, loadavg, release } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchOptionError, parseBenchOptions } from './lib/options.js';
import { measure, stats, cpuSource } from './lib/measure.js';
import { startFleet, compareStates } from './lib/fleet.js';
import { ansibleEnv, ansibleVersion, changedCount, desiredFrom, failedCount, mitogenStrategy, writeAnsible } from './lib/ansible.js';
import { startupFigures, compileFigures } from './lib/startup.js';
import { runScale } from './scale.js';
import { writeResultsSection } from './lib/markdown.js';

let opt;
try {
  opt = parseBenchOptions(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof BenchOptionError)) throw err;
  console.error(`bench: ${err.message}`);
  process.exit(1); // before any lab host starts: nothing to clean up
}
const N = opt.hosts;
const ROUNDS = opt.rounds;
const TOOLS = opt.tools;
const CLI = fileURLToPath(new URL('../../bin/vprov.js', import.meta.url));
const results = {
  startedAt: new Date().toISOString(),
  machine: machine(),
  hosts: N,
  rounds: ROUNDS,
  cpuSource: cpuSource(),
  samples: [],
  problems: [],
  notes: [],
};
const problem = (msg) => {
  results.problems.push(msg);
  console.error(`PROBLEM: ${msg}`);
};

function machine() {
  const node = process.version;
  const docker = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).stdout.trim();
  return {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node,
    docker,
    loadavgAtStart: loadavg().map((x) => x.toFixed(2)),
    vmsAtStart: vmsRunning(),
  };
}

/** Virtual machines (QEMU) running beside the benchmark: each can hold a core for its whole run. */
function vmsRunning() {
  return spawnSync('pgrep', ['-c', '-f', '^qemu-system'], { encoding: 'utf8' }).stdout.trim() || '0';
}

const sample = (tool, phase, hosts, r, extra = {}) => {
  const s = { tool, phase, hosts, wallMs: r.wallMs, cpuMs: r.cpuMs, rssKb: r.rssKb, code: r.code, ...extra };
  results.samples.push(s);
  const cpu = r.cpuMs === null ? '' : ` cpu_ms=${r.cpuMs.toFixed(0)}`;
  console.log(
    `  ${tool.padEnd(8)} ${phase.padEnd(12)} hosts=${hosts} wall_ms=${r.wallMs.toFixed(0)}${cpu} exit=${r.code}${extra.changed !== undefined ? ` changed=${extra.changed}` : ''}`,
  );
  return s;
};

// --tools '' : the simulated-host figures only (scale mode); two lab hosts to record answers from.
const SCALE_ONLY = TOOLS.length === 0;
const fleet = await startFleet(SCALE_ONLY ? 2 : N, (i) => (i % 4 === 0 ? 'node' : 'hypervisor'));
const half = fleet.names.slice(0, Math.max(1, Math.floor(N / 2)));
try {
  if (!SCALE_ONLY) await labFigures();
  results.compile = compileFigures(2000);
  results.compile10k = compileFigures(10000);
  // The baseline's load and compile of the same inventory, right after this build's.
  if (opt.baseline) results.compile10kBaseline = compileFigures(10000, join(opt.baseline, '..', '..', 'dist'));
  if (!SCALE_ONLY) summarise();
  if (opt.scale.length) {
    results.scale = await runScale({ fleet, sizes: opt.scale, rounds: opt.scaleRounds, faults: opt.faults, seed: opt.seed, baseline: opt.baseline });
    results.problems.push(...results.scale.problems);
  }
} catch (err) {
  problem(err.stack ?? String(err));
} finally {
  await fleet.stop();
  results.finishedAt = new Date().toISOString();
  results.machine.loadavgAtEnd = loadavg().map((x) => x.toFixed(2));
  results.machine.vmsAtEnd = vmsRunning();
  const out = opt.out ?? join('bench-results', `bench-${results.startedAt.replace(/[:.]/g, '-')}.json`);
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  if (opt.doc) {
    try {
      writeResultsSection(opt.doc, results, opt.docSection);
    } catch (err) {
      problem(`--doc ${opt.doc}: not rewritten: ${err.message} (the JSON is in ${out})`);
    }
  }
  console.log(`\nresults: ${out}${results.problems.length ? `\n${results.problems.length} PROBLEMS (see above)` : ''}`);
  if (results.problems.length) process.exitCode = 1;
}

/** vprov against the other tools on the lab fleet, interleaved rounds; then start-up figures. */
async function labFigures() {
  const inventory = fleet.lab.writeInventory('bench.yaml', { roles: fleet.roles });
  const NATIVE_PARTS = fileURLToPath(new URL('./lib/native-parts.cjs', import.meta.url));
  const vprovWith =
    (native) =>
    (...args) =>
      measure(process.execPath, ['--require', NATIVE_PARTS, CLI, ...args, '-i', inventory, '--format', 'json', '--forks', String(N)], {
        env: { ...process.env, VPROV_BENCH_NATIVE: native },
      });
  const vprov = vprovWith('on');
  const report = (r) => {
    try {
      return JSON.parse(r.stdout);
    } catch {
      return null;
    }
  };

  // Warm-up: vprov converges the fleet once; its end state is the reference, and the desired
  // contents of Ansible's playbook are read from it.
  console.log(`fleet: ${N} lab hosts (${half.length} for the half-fleet figures); warm-up`);
  const warm = await vprov('apply');
  if (warm.code !== 0) throw new Error(`warm-up vprov apply failed (exit ${warm.code}):\n${warm.stdout}\n${warm.stderr}`);
  const reference = await fleet.fingerprint();
  const ans = writeAnsible(fleet.lab.dir, fleet, await desiredFrom(fleet));
  await fleet.reset();
  const fresh = await fleet.fingerprint();
  if (compareStates(reference, fresh).length !== N) problem('reset did not bring every host back to a state vprov changes');

  const ansVersion = ansibleVersion();
  const mitogen = mitogenStrategy();
  results.ansible = ansVersion;
  results.mitogen = mitogen.ok ? mitogen.version : mitogen.why;
  const tools = [];
  if (TOOLS.includes('vprov'))
    tools.push({ name: 'vprov', apply: () => vprov('apply'), check: (limit) => vprov('drift', ...(limit ? ['--limit', limit] : [])) });
  if (TOOLS.includes('vprov-js')) {
    const js = vprovWith('off');
    tools.push({ name: 'vprov-js', apply: () => js('apply'), check: (limit) => js('drift', ...(limit ? ['--limit', limit] : [])) });
  }
  if (ansVersion && (TOOLS.includes('ansible') || TOOLS.includes('mitogen'))) {
    const variants = [];
    if (TOOLS.includes('ansible')) variants.push({ name: 'ansible', extra: {} });
    if (TOOLS.includes('mitogen') && mitogen.ok) variants.push({ name: 'mitogen', extra: mitogen.env });
    for (const v of variants) {
      const run = async (...args) => {
        const controlDir = join(fleet.lab.dir, `cp-${v.name}-${Date.now()}`);
        mkdirSync(join(controlDir, 'tmp'), { recursive: true });
        return measure('ansible-playbook', ['-i', ans.inventory, ans.playbook, ...args], { env: ansibleEnv(N, controlDir, v.extra) });
      };
      tools.push({ name: v.name, apply: () => run(), check: (limit) => run('--check', ...(limit ? ['--limit', limit] : [])) });
    }
  } else if (!ansVersion && TOOLS.some((t) => t === 'ansible' || t === 'mitogen')) problem('ansible-playbook not found: apt-get install ansible-core');
  if (TOOLS.includes('mitogen') && !mitogen.ok) results.notes.push(`mitogen: ${mitogen.why}`);

  const sshArgs = (h) =>
    `-i ${fleet.lab.keyFile} -p ${h.sshPort} -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ControlMaster=no ops@${h.sshHost}`;
  const floorScript = `${fleet.lab.hosts.map((h) => `ssh ${sshArgs(h)} sudo -n true &`).join('\n')}\nwait\n`;
  const floor = () => measure('/bin/sh', ['-c', floorScript]);

  const verify = async (tool, phase, r) => {
    if (tool === 'vprov' || tool === 'vprov-js') {
      // Which of ssh2's native parts the run loaded: the variant measured is the one named.
      const loaded = /^bench-native-modules: (.*)$/m.exec(r.stderr)?.[1] ?? '';
      const addon = loaded.split(',').includes('sshcrypto.node');
      if (tool === 'vprov-js' && addon) problem(`vprov-js ${phase}: ssh2's crypto addon was loaded (${loaded})`);
      if (tool === 'vprov' && !addon && !results.notes.some((n) => n.startsWith('vprov:')))
        results.notes.push("vprov: ssh2's crypto addon is not built here (its install script did not run): vprov and vprov-js run the same code");
      const doc = report(r);
      const bad = doc ? doc.hosts.filter((h) => (phase === 'apply' ? h.status !== 'changed' : h.status !== 'ok')) : null;
      if (!doc) problem(`${tool} ${phase}: no JSON report (exit ${r.code}): ${r.stderr.slice(0, 300)}`);
      else if (bad.length) problem(`${tool} ${phase}: ${bad.map((h) => `${h.host} ${h.status}${h.error ? ` (${h.error})` : ''}`).join('; ')}`);
      return { roundTrips: doc ? Math.max(...doc.hosts.map((h) => h.roundTrips)) : undefined, sshCryptoAddon: addon };
    }
    const changed = changedCount(r.stdout);
    const failed = failedCount(r.stdout);
    if (r.code !== 0 || failed)
      problem(
        `${tool} ${phase}: exit ${r.code}, failed/unreachable=${failed}: ${(r.stdout + r.stderr)
          .split('\n')
          .filter((l) => /fatal|ERROR|FAILED/.test(l))
          .slice(0, 3)
          .join(' | ')}`,
      );
    if (phase === 'apply' && !changed) problem(`${tool} apply on fresh hosts changed nothing`);
    if (phase !== 'apply' && changed) problem(`${tool} ${phase}: ${changed} changes on a converged fleet`);
    return { changed };
  };

  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`round ${round}/${ROUNDS}`);
    // Rotated each round so no tool always runs first (or right after a reset).
    const order = tools.map((_, i) => tools[(i + round - 1) % tools.length]);
    for (const t of order) {
      await fleet.reset();
      const first = await t.apply();
      sample(t.name, 'apply', N, first, await verify(t.name, 'apply', first));
      const diffs = compareStates(reference, await fleet.fingerprint());
      if (diffs.length) problem(`${t.name}: end state differs from vprov's on ${diffs.length} hosts: ${diffs.slice(0, 3).join('; ')}`);
      const again = await t.apply();
      sample(t.name, 'reapply', N, again, await verify(t.name, 'reapply', again));
      const check = await t.check();
      sample(t.name, 'check', N, check, await verify(t.name, 'check', check));
      const checkHalf = await t.check(half.join(','));
      sample(t.name, 'check', half.length, checkHalf, await verify(t.name, 'check', checkHalf));
    }
    if (TOOLS.includes('floor')) sample('openssh', 'floor', N, await floor());
  }

  results.startup = await startupFigures(CLI, inventory);
}

function summarise() {
  const pick = (tool, phase, hosts = N) => results.samples.filter((s) => s.tool === tool && s.phase === phase && s.hosts === hosts);
  const fig = (tool, phase, hosts = N) => {
    const xs = pick(tool, phase, hosts);
    return { wall: stats(xs.map((s) => s.wallMs)), cpu: stats(xs.map((s) => s.cpuMs)), rss: stats(xs.map((s) => s.rssKb)) };
  };
  const summary = { figures: {}, ratios: {}, cpuPerExtraHostMs: {} };
  const toolNames = [...new Set(results.samples.map((s) => s.tool))];
  console.log(`\nsummary (${N} hosts, ${ROUNDS} rounds, machine shared: load ${results.machine.loadavgAtStart.join(' ')})`);
  console.log(`${'tool'.padEnd(8)} ${'phase'.padEnd(8)} ${'wall min'.padStart(9)} ${'median'.padStart(7)} ${'cpu med'.padStart(8)}   peak RSS`);
  for (const tool of toolNames) {
    for (const phase of ['apply', 'reapply', 'check', 'floor']) {
      const f = fig(tool, phase);
      if (!f.wall.n) continue;
      summary.figures[`${tool}.${phase}`] = f;
      const rss = tool === 'vprov' ? `${(f.rss.median / 1024).toFixed(0)} MB` : '';
      console.log(
        `${tool.padEnd(8)} ${phase.padEnd(8)} ${f.wall.min.toFixed(0).padStart(9)} ${f.wall.median.toFixed(0).padStart(7)} ${f.cpu.median === null ? '' : f.cpu.median.toFixed(0).padStart(8)}   ${rss}`,
      );
    }
    const full = fig(tool, 'check');
    const part = fig(tool, 'check', half.length);
    if (full.cpu.n && part.cpu.n && N > half.length) summary.cpuPerExtraHostMs[tool] = (full.cpu.median - part.cpu.median) / (N - half.length);
  }
  const v = (phase) => summary.figures[`vprov.${phase}`]?.wall.median;
  for (const tool of toolNames.filter((t) => t !== 'vprov' && t !== 'openssh')) {
    for (const phase of ['apply', 'reapply', 'check']) {
      const a = summary.figures[`${tool}.${phase}`]?.wall.median;
      if (a && v(phase)) summary.ratios[`${tool}/vprov ${phase}`] = a / v(phase);
    }
  }
  const fl = summary.figures['openssh.floor']?.wall.median;
  if (fl && v('check')) summary.ratios['vprov check/openssh floor'] = v('check') / fl;
  console.log('ratios (median wall):');
  for (const [k, x] of Object.entries(summary.ratios)) console.log(`  ${k.padEnd(28)} ${x.toFixed(2)}x`);
  console.log(`controller CPU per extra host (check, ${half.length} → ${N} hosts):`);
  for (const [k, x] of Object.entries(summary.cpuPerExtraHostMs)) console.log(`  ${k.padEnd(10)} ${x.toFixed(1)} ms`);
  if (summary.cpuPerExtraHostMs.vprov && summary.cpuPerExtraHostMs.ansible) {
    summary.ratios['ansible/vprov cpu per extra host'] = summary.cpuPerExtraHostMs.ansible / summary.cpuPerExtraHostMs.vprov;
    console.log(`  ratio ansible/vprov: ${summary.ratios['ansible/vprov cpu per extra host'].toFixed(1)}x`);
  }
  const trips = results.samples.filter((s) => s.tool === 'vprov' && s.roundTrips !== undefined);
  for (const phase of ['apply', 'reapply', 'check']) {
    const t = trips.filter((s) => s.phase === phase).map((s) => s.roundTrips);
    if (t.length) console.log(`vprov ssh round trips per host, ${phase}: ${Math.max(...t)}`);
  }
  results.summary = summary;
  const s = results.startup;
  if (s)
    console.log(
      `start-up: ${Object.entries(s)
        .map(([k, x]) => `${k} min ${x.wall.min.toFixed(0)} ms / median ${x.wall.median.toFixed(0)} ms`)
        .join('; ')}`,
    );
  const c = results.compile;
  if (c) console.log(`compile ${c.hosts} hosts: ${JSON.stringify(c)}`);
}
