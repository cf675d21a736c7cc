// Start-up and compile figures: the fixed cost every command pays before the first host.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measure, stats } from './measure.js';

const REPEAT = 9;

// A cache directory that cannot exist (a path below /dev/null): vprov compiles its bundle as on a first run.
const NO_CODE_CACHE = { ...process.env, XDG_CACHE_HOME: '/dev/null/vprov-bench' };

/** Each case once unmeasured first, so that vprov's code cache (bin/code-cache.js) is warm, as after any earlier run. */
export async function startupFigures(cli, inventory) {
  const drift1 = [cli, 'drift', '-i', inventory, '--limit', 'h1', '--format', 'json'];
  const cases = {
    'node -e ""': [process.execPath, ['-e', '']],
    'vprov --version': [process.execPath, [cli, '--version']],
    'vprov --help': [process.execPath, [cli, '--help']],
    'vprov catalog list': [process.execPath, [cli, 'catalog', 'list']],
    'vprov inventory check': [process.execPath, [cli, 'inventory', 'check', '-i', inventory]],
    'vprov drift --limit h1': [process.execPath, drift1],
    'vprov drift --limit h1, no code cache': [process.execPath, drift1, NO_CODE_CACHE],
  };
  const out = {};
  for (const [name, [cmd, args, env]] of Object.entries(cases)) {
    await measure(cmd, args, { env });
    const runs = [];
    for (let i = 0; i < REPEAT; i++) runs.push(await measure(cmd, args, { env }));
    out[name] = {
      wall: stats(runs.map((r) => r.wallMs)),
      cpu: stats(runs.map((r) => r.cpuMs)),
      rssKb: stats(runs.map((r) => r.rssKb)).median,
      code: runs[0].code,
    };
  }
  return out;
}

/** Catalog + inventory load and compile of a big inventory, in a child (a clean heap). */
export function compileFigures(hosts, dist) {
  const child = fileURLToPath(new URL('./compile-child.js', import.meta.url));
  const r = spawnSync(process.execPath, [child, String(hosts), ...(dist ? [dist] : [])], { encoding: 'utf8' });
  if (r.status !== 0) return { hosts, error: r.stderr.trim() };
  return JSON.parse(r.stdout);
}
