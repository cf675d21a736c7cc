// Start-up and compile figures: the fixed cost every command pays before the first host.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measure, stats } from './measure.js';

const REPEAT = 9;

export async function startupFigures(cli, inventory) {
  const cases = {
    'node -e ""': [process.execPath, ['-e', '']],
    'vprov --version': [process.execPath, [cli, '--version']],
    'vprov --help': [process.execPath, [cli, '--help']],
    'vprov catalog list': [process.execPath, [cli, 'catalog', 'list']],
    'vprov inventory check': [process.execPath, [cli, 'inventory', 'check', '-i', inventory]],
    'vprov drift --limit h1': [process.execPath, [cli, 'drift', '-i', inventory, '--limit', 'h1', '--format', 'json']],
  };
  const out = {};
  for (const [name, [cmd, args]] of Object.entries(cases)) {
    const runs = [];
    for (let i = 0; i < REPEAT; i++) runs.push(await measure(cmd, args));
    out[name] = { wall: stats(runs.map((r) => r.wallMs)), cpu: stats(runs.map((r) => r.cpuMs)), rssKb: stats(runs.map((r) => r.rssKb)).median, code: runs[0].code };
  }
  return out;
}

/** Catalog + inventory load and compile of a big inventory, in a child (a clean heap). */
export function compileFigures(hosts) {
  const child = fileURLToPath(new URL('./compile-child.js', import.meta.url));
  const r = spawnSync(process.execPath, [child, String(hosts)], { encoding: 'utf8' });
  if (r.status !== 0) return { hosts, error: r.stderr.trim() };
  return JSON.parse(r.stdout);
}
