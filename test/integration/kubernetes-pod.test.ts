/**
 * The Kubernetes path short of a cluster: the image built from the repository's Containerfile (on
 * a base built offline: the lab image plus this machine's node), then each pod of the CronJob that
 * `vprov schedule export --kubernetes` prints run as the kubelet would run it: the container's
 * exact command, args and env from the manifest, JOB_COMPLETION_INDEX set, the ConfigMap and
 * Secret laid out as Kubernetes mounts them (..data symlinks, fsGroup-readable secret files), the
 * reports volume, an emptyDir on /tmp, a read-only root filesystem and the non-root user of the
 * pod's securityContext. Against lab hosts over real SSH, one of them unreachable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { startLab, LAB_IMAGE, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';
import { prerequisite } from '../helpers/prerequisite.js';
import { havePromtool } from '../helpers/consumers.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BASE = 'vprov-k8s-base:test';
const IMAGE = 'vprov-k8s:test';
const UID = 65532;
const dir = mkdtempSync(join(tmpdir(), 'vprov-k8s-'));
let lab: Lab;
let container: { command: string[]; args: string[]; env: { name: string; value?: string }[] };
let buildSeconds = 0;

/** A volume as the kubelet lays out a ConfigMap or Secret: files behind ..data → a timestamped directory. */
function projected(name: string, files: Record<string, string>, mode: number, gid: number): string {
  const root = join(dir, name);
  const stamp = '..2026_12_05_06_00_00.000000001';
  mkdirSync(join(root, stamp), { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    writeFileSync(join(root, stamp, file), text);
    chmodSync(join(root, stamp, file), mode);
    chownSync(join(root, stamp, file), 0, gid);
    symlinkSync(`..data/${file}`, join(root, file));
  }
  symlinkSync(stamp, join(root, '..data'));
  return root;
}

beforeAll(async () => {
  lab = await startLab([{ name: 'node1' }, { name: 'hv1' }]);
  const t0 = Date.now();
  // The base, offline: the lab image (Debian bookworm) and the node binary running these tests.
  const baseCtx = join(dir, 'base');
  mkdirSync(baseCtx);
  copyFileSync(process.execPath, join(baseCtx, 'node'));
  writeFileSync(join(baseCtx, 'Dockerfile'), `FROM ${LAB_IMAGE}\nCOPY node /usr/local/bin/node\nENTRYPOINT []\n`);
  execFileSync('docker', ['build', '-q', '-t', BASE, baseCtx], { stdio: 'pipe' });
  // The package as npm packs it (the files package.json names), built by the suite's npm run build.
  const ctx = join(dir, 'ctx');
  const listing = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: ROOT, encoding: 'utf8' }));
  for (const { path } of listing[0].files as { path: string }[]) {
    mkdirSync(dirname(join(ctx, 'package', path)), { recursive: true });
    copyFileSync(join(ROOT, path), join(ctx, 'package', path));
  }
  execFileSync('docker', ['build', '-q', '-f', join(ROOT, 'Containerfile'), '--build-arg', `BASE=${BASE}`, '-t', IMAGE, ctx], { stdio: 'pipe' });
  buildSeconds = (Date.now() - t0) / 1000;
  console.log(`kubernetes image: base + vprov image built in ${buildSeconds.toFixed(1)} s`);

  const manifest = parse((await vprov('schedule', 'export', '--kubernetes', '--shards', '2', '--image', IMAGE)).stdout);
  container = manifest.spec.jobTemplate.spec.template.spec.containers[0];
}, 600_000);

afterAll(async () => {
  await lab?.stop();
});

/** One pod of the Job: index k, the run's Job name, the volumes as the manifest mounts them. */
async function pod(k: number, volumes: { inventory: string; ssh: string; reports: string; tmp: string }) {
  const env = container.env.flatMap((e) => ['-e', `${e.name}=${e.value ?? (e.name === 'JOB_NAME' ? 'vprov-drift-29420000' : '')}`]);
  const args = [
    'run',
    '--rm',
    '--read-only',
    '--user',
    `${UID}:${UID}`,
    '--group-add',
    String(UID),
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    ...env,
    '-e',
    `JOB_COMPLETION_INDEX=${k}`,
    '-v',
    `${volumes.inventory}:/etc/vprov:ro`,
    '-v',
    `${volumes.ssh}:/home/vprov/.ssh:ro`,
    '-v',
    `${volumes.reports}:/reports`,
    '-v',
    `${volumes.tmp}:/tmp`,
    '--entrypoint',
    container.command[0]!,
    IMAGE,
    ...container.command.slice(1),
    ...container.args,
  ];
  try {
    const r = await run('docker', args, { encoding: 'utf8', timeout: 180_000 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

function volumes(name: string, inventory: string) {
  const h = (n: string) => lab.host(n);
  const hostKey = async (n: string) => (await lab.exec(n, 'cat /etc/ssh/ssh_host_ed25519_key.pub')).stdout.trim().split(' ').slice(0, 2).join(' ');
  return (async () => {
    const knownHosts = `${(await Promise.all(['node1', 'hv1'].map(async (n) => `${h(n).address} ${await hostKey(n)}`))).join('\n')}\n`;
    const base = join(dir, name);
    mkdirSync(base);
    const reports = join(base, 'reports');
    mkdirSync(reports);
    chownSync(reports, 0, UID);
    chmodSync(reports, 0o2775); // a volume with fsGroup: group-writable, setgid
    const tmp = join(base, 'tmp');
    mkdirSync(tmp);
    chmodSync(tmp, 0o1777);
    return {
      inventory: projected(`${name}/inventory`, { 'inventory.yaml': inventory }, 0o644, UID),
      ssh: projected(`${name}/ssh`, { id_ed25519: readFileSync(lab.keyFile, 'utf8'), known_hosts: knownHosts }, 0o440, UID),
      reports,
      tmp,
    };
  })();
}

const inventoryText = () =>
  stringify({
    site: 'k8s',
    product: 'storware',
    platforms: [{ platform: 'openstack', method: 'SSH transfer' }],
    defaults: { ssh: { user: 'ops', identityFile: '~/.ssh/id_ed25519', become: true, hostKeys: 'strict', connectTimeout: 30 }, firewall: 'nftables' },
    hosts: {
      node1: { address: lab.host('node1').address, roles: ['node'] },
      hv1: { address: lab.host('hv1').address, roles: ['hypervisor'] },
      // TEST-NET: no SSH server there (refused or silent); its shard must still finish and report it.
      ghost: { address: '192.0.2.1', roles: ['hypervisor'] },
    },
  });

describe('the image', () => {
  it('runs vprov as the non-root user on a read-only root filesystem', async () => {
    const r = await run(
      'docker',
      [
        'run',
        '--rm',
        '--read-only',
        '--user',
        `${UID}:${UID}`,
        '--entrypoint',
        '/bin/sh',
        IMAGE,
        '-c',
        'id -u; vprov --version; touch /opt/vprov/x 2>&1 || echo read-only',
      ],
      { encoding: 'utf8' },
    );
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      String(UID),
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
      expect.stringMatching(/Read-only file system/),
    ]);
  }, 60_000);
});

describe('the CronJob pods', () => {
  it("each shard's pod finishes (exit 0) though a host is unreachable; the host's failure is in the report; the last shard merges the run", async () => {
    const v = await volumes('fleet', inventoryText());
    const results = await Promise.all([0, 1].map((k) => pod(k, v)));
    for (const r of results) expect(r.code, r.out).toBe(0);
    const runDir = join(v.reports, 'runs', 'vprov-drift-29420000');
    expect(
      readdirSync(runDir)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual(['shard-0.json', 'shard-1.json']);
    // Each shard checked its own hosts; together, every host once.
    const shards = [0, 1].map((k) => JSON.parse(readFileSync(join(runDir, `shard-${k}.json`), 'utf8')));
    expect(shards.flatMap((s) => s.hosts.map((h: { host: string }) => h.host)).sort()).toEqual(['ghost', 'hv1', 'node1']);
    const latest = JSON.parse(readFileSync(join(v.reports, 'latest.json'), 'utf8'));
    const status = Object.fromEntries(latest.hosts.map((h: { host: string; status: string }) => [h.host, h.status]));
    expect(status, JSON.stringify(latest.hosts.map((h: { host: string; error?: string }) => [h.host, h.error]))).toEqual({
      ghost: 'unreachable',
      hv1: 'pending',
      node1: 'pending',
    });
    expect(latest.hosts.find((h: { host: string }) => h.host === 'ghost').error).toMatch(/192\.0\.2\.1/);
    expect(latest.exitCode & 4).toBe(4); // the run's verdict says a host failed; the pods did not
    // Textfile metrics per shard, apart by their shard label.
    const metrics = readdirSync(join(v.reports, 'metrics')).sort();
    expect(metrics).toEqual(['shard-0.prom', 'shard-1.prom']);
    const stamps = metrics.map((f) => /^vprov_last_run_timestamp_seconds\{(.*)\} /m.exec(readFileSync(join(v.reports, 'metrics', f), 'utf8'))![1]);
    expect(stamps).toEqual(['site="k8s",shard="1/2"', 'site="k8s",shard="2/2"']);
    if (havePromtool) {
      for (const f of metrics)
        expect(execFileSync('promtool', ['check', 'metrics'], { input: readFileSync(join(v.reports, 'metrics', f)), encoding: 'utf8' })).toBe('');
    }
    // Seen from outside: a drift run changed nothing on the hosts.
    expect((await lab.exec('hv1', 'nft list tables')).stdout).not.toMatch(/vprov/);
  }, 300_000);

  it('bad input fails the pod with exit 1 (the index fails, not retried: podFailurePolicy) and writes no report', async () => {
    const v = await volumes('bad', inventoryText().replace('user: ops', 'user: "ops;id"'));
    const r = await pod(0, v);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(/inventory\.yaml:\d+: defaults\.ssh\.user: not a user name OpenSSH accepts/);
    expect(existsSync(join(v.reports, 'metrics', 'shard-0.prom'))).toBe(false);
  }, 120_000);

  it('the build time is measured (docs/testing.md)', () => {
    prerequisite('promtool', havePromtool, '.ci/run installs Debian’s prometheus package');
    expect(buildSeconds).toBeGreaterThan(0);
  });
});
