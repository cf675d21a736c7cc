// Run a command and measure it: wall time, CPU seconds of its whole process tree (user+sys),
// and the peak RSS of its largest process. The tree's CPU comes from a cpuacct cgroup when
// this machine lets us make one (it also counts daemonised children such as Ansible's
// ControlPersist ssh masters, which are ended after the run); otherwise from GNU time's
// RUSAGE_CHILDREN (waited-for descendants only), and the result says which.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const CPUACCT = '/sys/fs/cgroup/cpuacct';
const GNU_TIME = '/usr/bin/time';
let seq = 0;

function makeCgroup() {
  const dir = `${CPUACCT}/vprov-bench-${process.pid}-${seq++}`;
  try {
    mkdirSync(dir);
    return dir;
  } catch {
    return null;
  }
}

export const cpuSource = () => {
  const probe = makeCgroup();
  if (probe) rmdirSync(probe);
  return probe ? 'cgroup cpuacct (whole process tree, daemons included)' : existsSync(GNU_TIME) ? 'GNU time (waited-for descendants)' : 'unavailable';
};

/**
 * stdoutFile: stdout goes to that file instead of memory (then `stdout` is ''): a 10,000-host
 * first apply's JSON report is larger than the longest string V8 makes (512 MB).
 * @returns {Promise<{ wallMs: number, cpuMs: number|null, rssKb: number|null, code: number|null, stdout: string, stderr: string }>}
 */
export async function measure(cmd, args, { env = process.env, cwd, input, stdoutFile } = {}) {
  const cg = makeCgroup();
  const timeFile = `/tmp/vprov-bench-time-${process.pid}-${seq++}`;
  const haveTime = existsSync(GNU_TIME);
  // sh puts itself into the cgroup, then execs (GNU time →) the command: nothing runs outside it.
  const inner = haveTime ? [GNU_TIME, '-q', '-o', timeFile, '-f', '%U %S %M', cmd, ...args] : [cmd, ...args];
  const wrapper = cg ? ['/bin/sh', ['-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', cg, ...inner]] : [inner[0], inner.slice(1)];
  const t0 = performance.now();
  const child = spawn(wrapper[0], wrapper[1], { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const out = [];
  const err = [];
  const file = stdoutFile ? createWriteStream(stdoutFile) : null;
  const written = file ? new Promise((resolve, reject) => file.on('finish', resolve).on('error', reject)) : null;
  if (file) child.stdout.pipe(file);
  else child.stdout.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => err.push(d));
  child.stdin.on('error', () => undefined);
  child.stdin.end(input ?? '');
  const code = await new Promise((resolve) => child.on('close', (c) => resolve(c)));
  await written;
  const wallMs = performance.now() - t0;
  let cpuMs = null;
  let rssKb = null;
  if (haveTime && existsSync(timeFile)) {
    const [u, s, m] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    cpuMs = (u + s) * 1000;
    rssKb = m;
    spawnSync('rm', ['-f', timeFile]);
  }
  if (cg) {
    cpuMs = Number(readFileSync(`${cg}/cpuacct.usage`, 'utf8')) / 1e6;
    endCgroup(cg);
  }
  return { wallMs, cpuMs, rssKb, code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** What is left in the group was started by this run (ssh ControlPersist masters): end it, then remove the group. */
function endCgroup(cg) {
  for (let i = 0; i < 50; i++) {
    const pids = readFileSync(`${cg}/cgroup.procs`, 'utf8').split('\n').filter(Boolean).map(Number);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    spawnSync('sleep', ['0.1']);
  }
  try {
    rmdirSync(cg);
  } catch {
    // a process that would not end keeps the (empty-named) group: harmless, reported by nothing
  }
}

export function stats(xs) {
  const s = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  if (s.length === 0) return { min: null, median: null, n: 0 };
  const mid = Math.floor(s.length / 2);
  return { min: s[0], median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, n: s.length };
}
