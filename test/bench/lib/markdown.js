// The results of one `npm run bench` as a markdown section of docs/benchmarks.md
// (between <!-- bench:NAME --> and <!-- /bench:NAME -->), so the page always shows
// one run's figures side by side, never numbers copied from different runs.
import { readFileSync, writeFileSync } from 'node:fs';

const s = (ms) => (ms === null || ms === undefined ? '–' : (ms / 1000).toFixed(2));
const x = (r) => (r === undefined ? '–' : `${r.toFixed(r < 1 ? 2 : 1)}×`);

export function resultsMarkdown(r) {
  const m = r.machine;
  const out = [];
  out.push(
    `Run of ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${r.hosts} lab hosts, ${r.rounds} interleaved round${r.rounds === 1 ? '' : 's'}. Machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB, Linux ${m.kernel}, Node ${m.node}, Docker ${m.docker}; ${r.ansible ?? 'no Ansible'}, ansible-mitogen ${r.mitogen}. Load average at start ${m.loadavgAtStart.join(' ')}, at end ${(m.loadavgAtEnd ?? []).join(' ')}; QEMU VMs running beside it: ${m.vmsAtStart ?? '?'} at start, ${m.vmsAtEnd ?? '?'} at end${Number(m.loadavgAtStart[0]) > m.cores ? ' — **the machine was shared** with other work: absolute times are inflated, the ratios (same run, interleaved) are the comparable figures' : ''}. CPU: ${r.cpuSource}.`,
    '',
  );
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
  if (r.compile && !r.compile.error) {
    const c = r.compile;
    out.push(
      '',
      `Compile of a ${c.hosts}-host inventory (${c.rules} rules, in-process): catalog ${c.catalogLoadMs} ms, inventory load ${c.inventoryLoadMs} ms, compile ${c.compileMs} ms (warm ${c.compileWarmMs} ms), heap ${c.heapMb} MB.`,
    );
  }
  if (r.scale?.sizes?.length) {
    out.push('', '| simulated hosts | first apply wall (s) | CPU (s) | peak RSS | drift wall (s) | CPU (s) | peak RSS |', '|---|---|---|---|---|---|---|');
    for (const row of r.scale.sizes) {
      const a = row.apply[0];
      const d = row.drift[0];
      out.push(
        `| ${row.hosts} | ${s(a.wallMs)} | ${s(a.cpuMs)} | ${(a.rssKb / 1024).toFixed(0)} MB | ${s(d.wallMs)} | ${s(d.cpuMs)} | ${(d.rssKb / 1024).toFixed(0)} MB |`,
      );
    }
    out.push(
      '',
      `Growth per extra host: ${r.scale.growth.map((g) => `${g.from} → ${g.to}: drift CPU ${g.driftCpuMsPerHost.toFixed(2)} ms, drift wall ${g.driftWallMsPerHost.toFixed(2)} ms, RSS ${g.driftRssKbPerHost.toFixed(0)} KB, apply CPU ${g.applyCpuMsPerHost.toFixed(2)} ms`).join('; ')}.`,
    );
  }
  const short = (p) => (p.length > 200 ? `${p.slice(0, 200)}…` : p);
  out.push(
    '',
    r.problems.length
      ? `**${r.problems.length} problems in this run** (a tool failed or did not reach vprov's end state; its figures include those runs):\n${r.problems.map((p) => `- ${short(p).replace(/\|/g, '\\|')}`).join('\n')}`
      : 'Every tool reached the same end state on every host (read from outside after each first apply); no problems.',
  );
  return out.join('\n');
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
