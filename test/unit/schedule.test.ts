/** Schedules: rendered units pass systemd-analyze verify, the cron line parses, the CronJob validates. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parse } from 'yaml';
import { CronJob } from 'kubernetes-models/batch/v1';
import { kubernetesManifest, parseEvery } from '../../src/app/schedule.js';
import { parseShard, shardOf } from '../../src/app/shard.js';
import { vprov } from '../helpers/cli.js';
import { prerequisite } from '../helpers/prerequisite.js';

const inv = fileURLToPath(new URL('../../inventories/olvm.yaml', import.meta.url));
const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));

describe('schedule install --systemd', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vprov-units-'));
  it('writes a service and a timer', async () => {
    const r = await vprov(
      'schedule',
      'install',
      '--no-verify',
      '-i',
      inv,
      '--every',
      '15m',
      '--dir',
      dir,
      '--format',
      'prometheus',
      '--output',
      '/var/lib/node_exporter/textfile/vprov.prom',
    );
    expect(r.code).toBe(0);
    const timer = readFileSync(join(dir, 'vprov-drift.timer'), 'utf8');
    expect(timer).toMatch(/^OnCalendar=\*-\*-\* \*:00\/15:00$/m);
    expect(timer).toMatch(/^RandomizedDelaySec=90$/m);
    expect(timer).toMatch(/^Persistent=true$/m);
    const service = readFileSync(join(dir, 'vprov-drift.service'), 'utf8');
    expect(service).toMatch(
      /^ExecStart=\S+node \S+\/bin\/vprov\.js drift -i \S+\/inventories\/olvm\.yaml --format prometheus --output \/var\/lib\/node_exporter\/textfile\/vprov\.prom$/m,
    );
    expect(service).toMatch(/^SuccessExitStatus=2$/m);
  });

  it.skipIf(!prerequisite('systemd-analyze', !!analyze, '.ci/run installs the systemd package'))(
    'the units pass systemd-analyze verify and the calendar parses',
    () => {
      execFileSync(analyze!, ['verify', join(dir, 'vprov-drift.service'), join(dir, 'vprov-drift.timer')], { stdio: 'pipe' });
      const cal = execFileSync(analyze!, ['calendar', '*-*-* *:00/15:00'], { encoding: 'utf8' });
      expect(cal).toMatch(/Next elapse:/);
    },
  );

  it('status and remove', async () => {
    expect((await vprov('schedule', 'status', '--dir', dir)).stdout).toMatch(/vprov-drift\.timer: every 15m/);
    const r = await vprov('schedule', 'remove', '--dir', dir);
    expect(r.stdout).toMatch(/removed .*vprov-drift\.service/);
    expect(existsSync(join(dir, 'vprov-drift.timer'))).toBe(false);
  });
});

describe('schedule install --cron', () => {
  it('writes an /etc/cron.d line: five time fields, a user, the command', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-cron-'));
    expect((await vprov('schedule', 'install', '--no-verify', '-i', inv, '--every', '6h', '--cron', '--dir', dir)).code).toBe(0);
    const lines = readFileSync(join(dir, 'vprov-drift'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#') && !/^[A-Z]+=/.test(l));
    expect(lines).toHaveLength(1);
    const [min, hour, dom, mon, dow, user, ...cmd] = lines[0]!.split(/\s+/);
    const field = /^(\*|\d+)(\/\d+)?$/;
    for (const f of [min, hour, dom, mon, dow]) expect(f).toMatch(field);
    expect([min, hour, dom, mon, dow]).toEqual(['0', '*/6', '*', '*', '*']);
    expect(user).toMatch(/^[a-z_][a-z0-9_-]*$/);
    expect(cmd.join(' ')).toMatch(/bin\/vprov\.js drift -i \S+olvm\.yaml$/);
  });

  it.each(['7m', '5h', '2d', 'hourly'])('refuses --every %s', async (every) => {
    expect(() => parseEvery(every)).toThrow(/--every/);
  });
});

describe('schedule export --kubernetes', () => {
  it('prints an Indexed CronJob that validates against the Kubernetes schema', async () => {
    const r = await vprov('schedule', 'export', '--kubernetes', '--shards', '4', '--every', '1h');
    expect(r.code).toBe(0);
    const manifest = parse(r.stdout);
    const job = new CronJob(manifest);
    expect(() => job.validate()).not.toThrow();
    expect(manifest.spec.schedule).toBe('0 * * * *');
    const spec = manifest.spec.jobTemplate.spec;
    expect([spec.completionMode, spec.completions, spec.parallelism]).toEqual(['Indexed', 4, 4]);
    expect(spec.template.spec.containers[0].args[0]).toMatch(/--shard \$\(\(k \+ 1\)\)\/4 --format json --output "\$run\/shard-\$k\.json"/);
    // One host's failure is a finding, not a reason to stop the other shards: retries per index, bad input not retried.
    expect(spec.backoffLimit).toBeUndefined();
    expect(spec.backoffLimitPerIndex).toBe(1);
    expect(spec.podFailurePolicy.rules[0]).toEqual({ action: 'FailIndex', onExitCodes: { containerName: 'drift', operator: 'In', values: [1] } });
    // Non-root on a read-only root filesystem.
    const pod = spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, fsGroup: 65532 });
    expect(pod.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
  });

  it('gives each shard pod the memory limit docs/kubernetes.md states and explains from measurements', async () => {
    const r = await vprov('schedule', 'export', '--kubernetes', '--shards', '4', '--every', '1h');
    const container = parse(r.stdout).spec.jobTemplate.spec.template.spec.containers[0];
    const doc = readFileSync(fileURLToPath(new URL('../../docs/kubernetes.md', import.meta.url)), 'utf8');
    const stated = /Each shard pod is limited to \*\*(\d+) Mi\*\* \(`resources\.limits\.memory`; requests (\d+) Mi\)/.exec(doc);
    expect(stated).not.toBeNull();
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: `${stated![2]}Mi` }, limits: { memory: `${stated![1]}Mi` } });
  });

  const manifest = (o: Partial<Parameters<typeof kubernetesManifest>[0]>) =>
    kubernetesManifest({
      name: 'vprov-drift',
      shards: 2,
      schedule: '0 * * * *',
      image: 'vprov:1',
      inventoryConfigMap: 'inv',
      sshSecret: 'ssh',
      reportsClaim: 'reports',
      ...o,
    });
  // Names built the way RFC 1123 allows them: what the API server accepts must be printed as given.
  const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/);
  const subdomain = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));

  it('every Kubernetes name the API server accepts is printed as given (generated)', () => {
    fc.assert(
      fc.property(
        subdomain.filter((n) => n.length <= 52),
        subdomain,
        (name, other) => {
          const m = parse(manifest({ name, inventoryConfigMap: other, sshSecret: other, reportsClaim: other }));
          expect(m.metadata.name).toBe(name);
          expect(
            m.spec.jobTemplate.spec.template.spec.volumes.map(
              (v: { configMap?: { name: string }; secret?: { secretName: string }; persistentVolumeClaim?: { claimName: string } }) =>
                v.configMap?.name ?? v.secret?.secretName ?? v.persistentVolumeClaim?.claimName,
            ),
          ).toEqual([other, other, other, undefined]);
        },
      ),
    );
  });

  it('any name outside RFC 1123, or a CronJob name over 52 characters, is refused naming the option (generated)', () => {
    const bad = fc.oneof(
      subdomain.map((n) => n.toUpperCase()).filter((n) => /[A-Z]/.test(n)),
      fc.tuple(subdomain, fc.constantFrom('_', ' ', '/', '\n', ':', '$', '*', '..')).map(([n, c]) => `${n}${c}x`),
      subdomain.map((n) => `-${n}`),
      subdomain.map((n) => `${n}.`),
      fc.constant(''),
    );
    fc.assert(
      fc.property(bad, fc.constantFrom('name', 'config-map', 'ssh-secret', 'reports-claim'), (value, option) => {
        const key = { name: 'name', 'config-map': 'inventoryConfigMap', 'ssh-secret': 'sshSecret', 'reports-claim': 'reportsClaim' }[option]!;
        expect(() => manifest({ [key]: value })).toThrow(new RegExp(`^--${option} .*expected a Kubernetes name`));
      }),
    );
    expect(() => manifest({ name: 'a'.repeat(53) })).toThrow(/--name .*at most 52 characters/);
    expect(() => manifest({ name: 'a'.repeat(52) })).not.toThrow();
    expect(() => manifest({ image: 'vprov:1 --privileged' })).toThrow(/--image/);
  });

  it('the CLI refuses a bad --name with exit 1, printing no manifest', async () => {
    const r = await vprov('schedule', 'export', '--kubernetes', '--name', 'Vprov_Drift');
    expect(r.stderr).toMatch(/^error: --name "Vprov_Drift": expected a Kubernetes name/m);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(1);
  });

  it('an invalid manifest would fail that validation', () => {
    expect(() => new CronJob({ metadata: { name: 'x' }, spec: { jobTemplate: { spec: { completions: 'four' } } } } as never).validate()).toThrow();
  });
});

describe('--shard', () => {
  it('is deterministic and covers every host exactly once', () => {
    const hosts = Array.from({ length: 500 }, (_, i) => `host${i}`);
    const counts = [1, 2, 3, 4].map((i) => hosts.filter((h) => shardOf(h, 4) === i).length);
    expect(counts.reduce((a, b) => a + b)).toBe(500);
    for (const c of counts) expect(c).toBeGreaterThan(80);
    expect(shardOf('node1', 4)).toBe(shardOf('node1', 4));
    expect(() => parseShard('0/3')).toThrow(/--shard/);
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
  });
});

describe('documented JSON report schema', () => {
  it('docs/report.schema.json is generated from the schema the code validates with', async () => {
    const { z } = await import('zod');
    const { reportSchema } = await import('../../src/report/schema.js');
    const doc = JSON.parse(readFileSync(fileURLToPath(new URL('../../docs/report.schema.json', import.meta.url)), 'utf8'));
    expect(doc).toEqual(JSON.parse(JSON.stringify(z.toJSONSchema(reportSchema))));
  });
});
