// The results of one `npm run bench` as a markdown section of docs/benchmarks.md
// (between <!-- bench:NAME --> and <!-- /bench:NAME -->), so the page always shows
// one run's figures side by side, never numbers copied from different runs.
import { readFileSync, writeFileSync } from 'node:fs';

const s = (ms) => (ms === null || ms === undefined ? '–' : (ms / 1000).toFixed(2));
const x = (r) => (r === undefined ? '–' : `${r.toFixed(r < 1 ? 2 : 1)}×`);

export function resultsMarkdown(r) {
  const m = r.machine;
  const out = [];
  const lab = r.summary !== undefined;
  out.push(
    `Run of ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${lab ? `${r.hosts} lab hosts, ${r.rounds} interleaved round${r.rounds === 1 ? '' : 's'}` : "simulated hosts only (--tools '')"}. Machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB, Linux ${m.kernel}, Node ${m.node}, Docker ${m.docker}${lab ? `; ${r.ansible ?? 'no Ansible'}, ansible-mitogen ${r.mitogen}` : ''}. Load average at start ${m.loadavgAtStart.join(' ')}, at end ${(m.loadavgAtEnd ?? []).join(' ')}; QEMU VMs running beside it: ${m.vmsAtStart ?? '?'} at start, ${m.vmsAtEnd ?? '?'} at end${Number(m.loadavgAtStart[0]) > m.cores ? ' — **the machine was shared** with other work: absolute times are inflated, the ratios (same run, interleaved) are the comparable figures' : ''}. CPU: ${r.cpuSource}.`,
    '',
  );
  if (lab) out.push(...labMarkdown(r));
  for (const [key, what] of [
    ['compile', 'this build'],
    ['compile10k', 'this build'],
    ['compile10kBaseline', 'the baseline'],
  ]) {
    const c = r[key];
    if (c && !c.error)
      out.push(
        '',
        `Compile of a ${c.hosts}-host inventory (${c.rules} rules, in-process, ${what}): catalog ${c.catalogLoadMs} ms, inventory load ${c.inventoryLoadMs} ms wall${c.inventoryLoadCpuMs !== undefined ? ` / ${c.inventoryLoadCpuMs} ms CPU` : ''}, compile ${c.compileMs} ms${c.compileCpuMs !== undefined ? ` / ${c.compileCpuMs} ms CPU` : ''} (warm ${c.compileWarmMs} ms), heap ${c.heapMb} MB.`,
      );
  }
  if (r.scale?.sizes?.length) out.push('', ...scaleMarkdown(r.scale));
  const short = (p) => (p.length > 200 ? `${p.slice(0, 200)}…` : p);
  out.push(
    '',
    r.problems.length
      ? `**${r.problems.length} problems in this run** (a tool failed or did not reach vprov's end state; its figures include those runs):\n${r.problems.map((p) => `- ${short(p).replace(/\|/g, '\\|')}`).join('\n')}`
      : lab
        ? 'Every tool reached the same end state on every host (read from outside after each first apply); no problems.'
        : 'Every simulated host was in every report with the status it should have; no problems.',
  );
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

function labMarkdown(r) {
  const out = [];
  const f = r.summary?.figures ?? {};
  out.push('| tool | phase | wall min (s) | wall median (s) | controller CPU median (s) | peak RSS |', '|---|---|---|---|---|---|');
  for (const [key, v] of Object.entries(f)) {
    const [tool, phase] = key.split('.');
    out.push(
      `| ${tool} | ${phase} | ${s(v.wall.min)} | ${s(v.wall.median)} | ${s(v.cpu.median)} | ${tool === 'vprov' ? `${(v.rss.median / 1024).toFixed(0)} MB` : ''} |`,
    );
  }
  out.push('', '| ratio (median wall) | |', '|---|---|');
  for (const [k, v] of Object.entries(r.summary?.ratios ?? {})) out.push(`| ${k} | ${x(v)} |`);
  out.push(
    '',
    `Controller CPU per extra host (check phase, ${Math.floor(r.hosts / 2)} → ${r.hosts} hosts): ${Object.entries(r.summary?.cpuPerExtraHostMs ?? {})
      .map(([t, v]) => `${t} ${v.toFixed(1)} ms`)
      .join(', ')}.`,
  );
  if (r.startup) {
    out.push('', '| start-up (9 runs) | wall min (ms) | wall median (ms) | CPU median (ms) |', '|---|---|---|---|');
    for (const [k, v] of Object.entries(r.startup))
      out.push(`| \`${k}\` | ${v.wall.min.toFixed(0)} | ${v.wall.median.toFixed(0)} | ${v.cpu.median === null ? '–' : v.cpu.median.toFixed(0)} |`);
  }
  return out;
}

function scaleMarkdown(sc) {
  const mb = (kb) => (kb === null || kb === undefined ? '–' : `${(kb / 1024).toFixed(0)} MB`);
  const per = (a, n) => (a === null || a === undefined ? '–' : `${(a / n).toFixed(2)}`);
  const out = [
    `Simulated hosts at the default --forks (25)${sc.faults ? `; faulty: ${(sc.faults * 100).toFixed(1)}% of the hosts, every fault kind alike, seed ${sc.seed}` : ''}; limits ssh.connectTimeout ${sc.limits?.connectTimeout ?? '–'} s, ssh.commandTimeout ${sc.limits?.commandTimeout ?? '–'} s, --timeout ${sc.limits?.timeout ?? '–'} s.${sc.clis?.length > 1 ? ` Builds: "this" (${sc.clis[0].cli}) and "baseline" (${sc.clis[1].cli}), interleaved.` : ''}`,
    '',
    '| hosts | fleet | build | apply wall (s) | apply CPU (s) | CPU/host (ms) | apply peak RSS | exit | drift wall (s) | drift CPU (s) | CPU/host (ms) | drift peak RSS | exit |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of sc.sizes) {
    const a = row.apply[0];
    const d = row.drift[0];
    out.push(
      `| ${row.hosts} | ${row.mode}${row.faulty ? ` (${row.faulty} faulty)` : ''} | ${row.cli ?? 'this'} | ${s(a.wallMs)} | ${s(a.cpuMs)} | ${per(a.cpuMs, row.hosts)} | ${mb(a.rssKb)} | ${a.code ?? '–'} | ${s(d.wallMs)} | ${s(d.cpuMs)} | ${per(d.cpuMs, row.hosts)} | ${mb(d.rssKb)} | ${d.code ?? '–'} |`,
    );
  }
  if (sc.growth?.length) {
    out.push('', '| growth per extra host | drift CPU (ms) | drift RSS (KB) | apply CPU (ms) | apply RSS (KB) |', '|---|---|---|---|---|');
    for (const g of sc.growth)
      out.push(
        `| ${g.cli ?? 'this'}, ${g.mode ?? 'healthy'}, ${g.from} → ${g.to} | ${g.driftCpuMsPerHost.toFixed(2)} | ${g.driftRssKbPerHost.toFixed(1)} | ${g.applyCpuMsPerHost.toFixed(2)} | ${(g.applyRssKbPerHost ?? Number.NaN).toFixed(1)} |`,
      );
  }
  return out;
}

/** Rewrites the section between <!-- bench:NAME --> and <!-- /bench:NAME --> (NAME: results, or e.g. results-100). */
export function writeResultsSection(file, r, name = 'results') {
  const START = `<!-- bench:${name} -->`;
  const END = `<!-- /bench:${name} -->`;
  const text = readFileSync(file, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${file}: no ${START} … ${END} section`);
  writeFileSync(file, `${text.slice(0, a + START.length)}\n${resultsMarkdown(r)}\n${text.slice(b)}`);
}
