/**
 * Drift on real lab hosts: tamper from outside (docker exec), then `vprov drift` must report
 * exactly what was done, in every format, each checked by a real parser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { XMLParser } from 'fast-xml-parser';
import parsePrometheus from 'parse-prometheus-text-format';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';
import { prerequisite } from '../helpers/prerequisite.js';
import { chromium, haveJunitparser, havePromtool, headlessChromium, promtoolCheck, readJunit } from '../helpers/consumers.js';
import { reportSchema } from '../../src/report/schema.js';

let lab: Lab;
let inventory: string;
const out = mkdtempSync(join(tmpdir(), 'vprov-drift-'));
const history = join(out, 'history');

beforeAll(async () => {
  lab = await startLab([{ name: 'node1' }, { name: 'hv1' }, { name: 'hv2' }]);
  inventory = lab.writeInventory('drift.yaml', { roles: { node1: ['node'], hv1: ['hypervisor'], hv2: ['hypervisor'] } });
  expect((await vprov('apply', '-i', inventory)).code).toBe(0);
});
afterAll(async () => {
  await lab?.stop();
});

describe('drift', () => {
  it('in sync: exit 0, and the run is kept in the history', async () => {
    const r = await vprov('drift', '-i', inventory, '--history', history);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/hosts: 3 ok=3 changed=0 drifted=0/);
    expect(readdirSync(history)).toHaveLength(1);
  });

  it('reports exactly the four things changed by hand, with exit 2', async () => {
    const handle = /tcp dport 22 accept .*# handle (\d+)/.exec((await lab.exec('hv1', 'nft -a list chain inet vprov input')).stdout)![1];
    await lab.exec('hv1', `nft delete rule inet vprov input handle ${handle}`);
    await lab.exec('node1', 'nft add rule inet vprov input tcp dport 4444 accept');
    await lab.exec('node1', `sed -i 's#/bin/make#/bin/make, /usr/bin/vim#' /etc/sudoers.d/vprotect`);
    await lab.exec('node1', 'gpasswd -d vprotect disk');
    const hook = join(out, 'hook.json');
    const r = await vprov('drift', '-i', inventory, '--format', 'json', '--history', history, '--on-drift', `cat > ${hook}`);
    expect(r.code).toBe(2);
    const doc = reportSchema.parse(JSON.parse(r.stdout));
    const drifted = doc.hosts.flatMap((h) => h.resources.filter((x) => x.status === 'pending').map((x) => `${h.host}/${x.resource}`));
    expect(drifted.sort()).toEqual(['hv1/firewall', 'node1/account', 'node1/firewall', 'node1/sudoers']);
    const changes = (host: string, res: string) => doc.hosts.find((h) => h.host === host)!.resources.find((x) => x.resource === res)!;
    expect(changes('hv1', 'firewall').changes).toEqual([expect.stringMatching(/^\+ rule input: ip\.saddr == @node_v4 && tcp\.dport == 22 accept/)]);
    expect(changes('node1', 'firewall').changes).toEqual(['- rule input: tcp.dport == 4444 accept']);
    expect(changes('node1', 'sudoers').diff).toMatch(/^- {4}\/bin\/make, \/usr\/bin\/vim$/m);
    expect(changes('node1', 'account').changes).toEqual([expect.stringMatching(/^\+ vprotect in group disk/)]);
    expect(JSON.parse(readFileSync(hook, 'utf8')).exitCode).toBe(2);
  });

  it('text says what drifted', async () => {
    const r = await vprov('drift', '-i', inventory);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/== node1: drifted/);
    expect(r.stdout).toMatch(/sudoers\s+DRIFTED/);
    expect(r.stdout).toMatch(/hv2\s+: ok=4 changed=0 drifted=0/);
  });

  it('junit: one testcase per host × resource, failures carry the diff', async () => {
    const file = join(out, 'drift.xml');
    const r = await vprov('drift', '-i', inventory, '--format', 'junit', '--output', file);
    expect(r.code).toBe(2);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(file, 'utf8'));
    const suite = xml.testsuites.testsuite;
    expect(Number(suite['@_tests'])).toBe(12);
    expect(Number(suite['@_failures'])).toBe(4);
    const failed = suite.testcase.filter((t: { failure?: unknown }) => t.failure).map((t: { '@_name': string }) => t['@_name']);
    expect(failed.sort()).toEqual(['hv1: firewall', 'node1: account', 'node1: firewall', 'node1: sudoers']);
    const sudo = suite.testcase.find((t: { '@_name': string }) => t['@_name'] === 'node1: sudoers');
    expect(sudo.failure['#text']).toContain('/usr/bin/vim');
    if (haveJunitparser) {
      const [read] = readJunit(file);
      expect([read!.tests, read!.failures]).toEqual([12, 4]);
      expect(read!.cases.find((c) => c.name === 'node1: sudoers')!.text).toContain('/usr/bin/vim');
    }
  });

  it('prometheus: parsed by a textfile grammar, written atomically', async () => {
    const file = join(out, 'vprov.prom');
    await vprov('drift', '-i', inventory, '--format', 'prometheus', '--output', file);
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]); // no temp file left behind
    const families = parsePrometheus(readFileSync(file, 'utf8')) as {
      name: string;
      type: string;
      metrics: { labels?: Record<string, string>; value: string }[];
    }[];
    const drift = families.find((f) => f.name === 'vprov_resource_drifted')!;
    expect(drift.type).toBe('GAUGE');
    const one = drift.metrics.filter((m) => m.value === '1').map((m) => `${m.labels!.host}/${m.labels!.resource}`);
    expect(one.sort()).toEqual(['hv1/firewall', 'node1/account', 'node1/firewall', 'node1/sudoers']);
    expect(families.find((f) => f.name === 'vprov_host_up')!.metrics.every((m) => m.value === '1')).toBe(true);
    expect(Number(families.find((f) => f.name === 'vprov_last_run_timestamp_seconds')!.metrics[0]!.value)).toBeGreaterThan(1.7e9);
    expect(families.map((f) => f.name)).toContain('vprov_last_run_duration_seconds');
    // promtool's absence fails test/unit/report-consumers.test.ts under CI
    if (havePromtool) expect(promtoolCheck(readFileSync(file, 'utf8'))).toEqual({ status: 0, output: '' });
  });

  it.skipIf(!prerequisite('chromium', !!chromium, '.ci/run installs the chromium package'))('html: a page Chromium renders, summary first', async () => {
    const file = join(out, 'drift.html');
    await vprov('drift', '-i', inventory, '--format', 'html', '--output', file);
    const dom = headlessChromium(file, '--dump-dom');
    expect(dom).toMatch(/<h1>vprov drift: 2 drifted, 0 failed or unreachable<\/h1>/);
    expect(dom.indexOf('class="summary"')).toBeLessThan(dom.indexOf('id="host-hv1"'));
    expect(dom).toContain('/usr/bin/vim');
    const png = join(out, 'drift.png');
    headlessChromium(file, '--window-size=1200,900', `--screenshot=${png}`);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    if (process.env.VPROV_DOCS_SCREENSHOT) execFileSync('cp', [png, process.env.VPROV_DOCS_SCREENSHOT]);
  });

  it('apply repairs all four; drift exits 0 again; history shows new and resolved drift', async () => {
    expect((await vprov('apply', '-i', inventory)).code).toBe(0);
    expect((await lab.exec('node1', 'id -nG vprotect')).stdout).toMatch(/\bdisk\b/);
    expect((await lab.exec('node1', 'grep -c vim /etc/sudoers.d/vprotect')).stdout.trim()).toBe('0');
    const r = await vprov('drift', '-i', inventory, '--history', history);
    expect(r.code).toBe(0);
    const h = await vprov('drift', '--history', history, '--since', '7d');
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/3 run\(s\)/);
    expect(h.stdout).toMatch(/new drift\s+node1 sudoers/);
    expect(h.stdout).toMatch(/resolved\s+node1 sudoers/);
    expect(h.stdout).toMatch(/now: in sync/);
  });

  it('shards split the hosts without overlap and merge back into one report', async () => {
    const shards = await Promise.all(
      [1, 2].map((i) => vprov('drift', '-i', inventory, '--shard', `${i}/2`, '--format', 'json', '--output', join(out, `shard-${i}.json`))),
    );
    for (const s of shards) expect(s.code).toBe(0);
    const hosts = [1, 2].map((i) => reportSchema.parse(JSON.parse(readFileSync(join(out, `shard-${i}.json`), 'utf8'))).hosts.map((h) => h.host));
    expect([...hosts[0]!, ...hosts[1]!].sort()).toEqual(['hv1', 'hv2', 'node1']);
    const merged = await vprov('report', 'merge', join(out, 'shard-1.json'), join(out, 'shard-2.json'));
    expect(merged.code).toBe(0);
    expect(reportSchema.parse(JSON.parse(merged.stdout)).hosts.map((h) => h.host)).toEqual(['hv1', 'hv2', 'node1']);
    const overlap = await vprov('report', 'merge', join(out, 'shard-1.json'), join(out, 'shard-1.json'));
    expect(overlap.code).toBe(1);
    expect(overlap.stderr).toMatch(/is in two reports/);
  });
});
