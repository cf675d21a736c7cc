/**
 * Generated convergence proof (fast-check): valid inventories of every product, and sites of 2–4
 * products on shared hosts with site flows, are compiled and
 * rendered, every managed host's table is loaded into a REAL nft (an unprivileged network
 * namespace, `unshare -rn`) and read back with `nft -j`, and:
 *  (a) vprov's own compare of the loaded ruleset is empty after one load (one apply converges);
 *  (b) the packets the loaded table accepts — (source interval, protocol, port interval) — are
 *      exactly those an independent oracle (test/helpers/oracle.ts) derives from the catalog
 *      export: never wider, never narrower;
 *  (c) flows without a source open nothing: every accept names a source.
 * Seed and count are printed; VPROV_SEED / VPROV_CASES replay or widen a run. A failure is
 * shrunk and written to test/fixtures/convergence/, which is replayed first on every run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalog, inventoryOf } from '../helpers/catalog.js';
import { inventoryCase, type Case } from '../helpers/generate.js';
import { expectedBoxes, ipRange, normalForm, type Box } from '../helpers/oracle.js';
import { acceptedBoxes, oracleRules } from '../helpers/nft-accepted.js';
import { compile } from '../helpers/compile.js';
import { desiredTable, liveControllers, planNftables, renderTable } from '../../src/resources/firewall-nftables.js';
import { canonicalFirewalld, desiredFirewalld, type FirewalldState } from '../../src/resources/firewall-firewalld.js';
import { startLab, type Lab } from '../lab/hosts.js';
import type { HostDesired } from '../../src/core/types.js';
import { nftFacts } from '../helpers/facts.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/convergence');
const seed = Number(process.env.VPROV_SEED ?? Date.now() % 2 ** 31);
const numRuns = Number(process.env.VPROV_CASES ?? 300);
const rules = oracleRules();
/** nft is required: under CI its absence is a failure with the reason, never a skip. */
function nftProblem(): string | null {
  try {
    execFileSync('unshare', ['-rn', 'nft', 'list', 'ruleset'], { stdio: 'pipe' });
    return null;
  } catch (err) {
    return `cannot run nft in an unprivileged network namespace (unshare -rn nft): ${(err as Error).message.split('\n')[0]} — install nftables (apt-get install nftables)`;
  }
}

/** Load each table in turn into one fresh namespace; returns each host's `nft -j list ruleset`. */
function loadAll(tables: Map<string, string>): Map<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'vprov-gen-'));
  try {
    const names = [...tables.keys()];
    names.forEach((n, i) => {
      writeFileSync(join(dir, `${i}.nft`), tables.get(n)!);
    });
    const script = names.map((_, i) => `nft -f ${dir}/${i}.nft || exit 1; echo '@@${i}'; nft -j list ruleset`).join('\n');
    const out = execFileSync('unshare', ['-rn', 'sh', '-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const parts = out
      .split(/^@@\d+$/m)
      .slice(1)
      .map((s) => s.trim());
    return new Map(names.map((n, i) => [n, parts[i]!]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

let tablesChecked = 0;
/** tables of site hosts (several products) and of hosts with a site flow's rule: the site cases must be exercised too */
let siteTables = 0;
let siteFlowTables = 0;

function checkCase(c: Case): void {
  const inv = inventoryOf(c.inventory);
  const hosts = compile(inv).hosts.filter((h) => h.managed && (h.firewall.rules.length > 0 || h.firewall.inputPolicy === 'drop'));
  if (hosts.length === 0) return;
  const facts = (_h: HostDesired) => ({ controllerAddress: c.controller, sshPort: c.sshPort, systemd: false });
  const rendered = new Map<string, string>();
  for (const h of hosts) {
    const live = liveControllers([], c.controller, h.firewall.sshAdminSources);
    rendered.set(h.name, renderTable(desiredTable(h.firewall, live.withOurs, c.sshPort)));
  }
  const loaded = loadAll(rendered);
  tablesChecked += hosts.length;
  if (c.inventory.products) siteTables += hosts.length;
  siteFlowTables += hosts.filter((h) => h.firewall.rules.some((r) => r.flows.some((f) => f.startsWith('site/')))).length;
  for (const h of hosts) {
    const listing = loaded.get(h.name)!;
    // (a) vprov's compare of what nft stored is empty: one apply converges.
    const again = planNftables(nftFacts(`nft=yes\nruleset=${b64(listing)}\npersisted=${b64(rendered.get(h.name)!)}\nunit=absent`), h.firewall, facts(h));
    expect({ host: h.name, status: again.status, changes: again.changes }).toEqual({ host: h.name, status: 'ok', changes: [] });
    // (b) exactly the oracle's packets; (c) nothing without a source.
    const got = acceptedBoxes(listing);
    expect(got.unsourced).toEqual([]);
    const oracle = expectedBoxes(c.inventory, rules, h.name, c.controller, c.sshPort);
    expect({ host: h.name, accepted: normalForm(got.boxes) }).toEqual({ host: h.name, accepted: normalForm(oracle) });
    expect(got.housekeeping.length).toBe(h.firewall.inputPolicy === 'drop' ? 3 : 0);
  }
}

describe('generated convergence (real nft in a network namespace)', () => {
  const problem = nftProblem();

  it('nft runs unprivileged here', () => {
    // Under CI a missing nft fails with its reason; on a developer machine too: install it.
    expect(problem).toBeNull();
  });

  it.runIf(problem === null)('regression fixtures (shrunk failures of earlier runs) converge', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) checkCase(JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as Case);
  });

  it.runIf(problem === null)(
    `${numRuns} generated inventories converge in one load and accept exactly the oracle's set`,
    async () => {
      console.log(`convergence property: seed=${seed} cases=${numRuns} (replay: VPROV_SEED=${seed} VPROV_CASES=${numRuns})`);
      // Async, yielding between cases: a minutes-long synchronous loop starves the worker's RPC to vitest
      // ("Timeout calling onTaskUpdate", an unhandled error that fails the run).
      const result = await fc.check(
        fc.asyncProperty(inventoryCase(catalog), async (c) => {
          await new Promise((resolve) => setImmediate(resolve));
          checkCase(c);
        }),
        { seed, numRuns },
      );
      if (result.failed) {
        mkdirSync(FIXTURES, { recursive: true });
        const file = join(FIXTURES, `seed-${seed}.json`);
        writeFileSync(file, `${JSON.stringify(result.counterexample![0], null, 2)}\n`);
        throw new Error(`${fc.defaultReportMessage(result)}\nshrunk case written to ${file}: keep it as a regression fixture`);
      }
      console.log(
        `convergence property: ${numRuns} cases passed, ${tablesChecked} tables loaded into nft and read back (${siteTables} of sites of 2–4 products, ${siteFlowTables} with a site flow)`,
      );
      // A generator that stopped producing tables (or sites, or site flows) would prove nothing.
      expect(tablesChecked).toBeGreaterThan(numRuns);
      expect(siteTables).toBeGreaterThan(numRuns / 20);
      expect(siteFlowTables).toBeGreaterThan(0);
    },
    600_000,
  );
});

/**
 * firewalld's permanent XML, checked without a running daemon inside one lab host: every
 * sampled host's files are parsed by firewalld's own readers in one Python process, and
 * `firewall-offline-cmd --check-config` validates a smaller sample in place. The read-back
 * rich rules and ipsets must (a) compare equal to vprov's desired state and (b) accept exactly
 * the oracle's set (no SSH rules here: with firewalld, zones decide what is dropped).
 */
const READER_PY = `import json, os, sys
from firewall.core.io.ipset import ipset_reader
from firewall.core.io.policy import policy_reader
root = sys.argv[1]
out = {}
for d in sorted(os.listdir(root)):
    r = {"ipsets": {}, "policies": {}}
    ip = os.path.join(root, d, "ipsets")
    for f in sorted(os.listdir(ip)):
        s = ipset_reader(f, ip)
        r["ipsets"][s.name] = {"type": s.type, "family": s.options.get("family", "inet"), "entries": list(s.entries)}
    pp = os.path.join(root, d, "policies")
    for f in sorted(os.listdir(pp)):
        p = policy_reader(f, pp)
        r["policies"][p.name] = {"target": p.target, "priority": p.priority, "ingress": list(p.ingress_zones), "egress": list(p.egress_zones), "rules": [str(x) for x in p.rules]}
    out[d] = r
print(json.dumps(out))
`;

function firewalldBoxes(state: FirewalldState): Box[] {
  const boxes: Box[] = [];
  for (const rule of Object.values(state.policies).flatMap((p) => p.rules)) {
    const set = /source ipset="([^"]+)"/.exec(rule)?.[1];
    if (!set || !rule.endsWith(' accept')) throw new Error(`unexpected rich rule: ${rule}`);
    const port = /port port="(\d+)(?:-(\d+))?" protocol="(tcp|udp)"/.exec(rule);
    const icmp = /protocol value="(icmp|ipv6-icmp)"/.test(rule);
    if (!port && !icmp) throw new Error(`rich rule with neither port nor ICMP: ${rule}`);
    for (const e of state.ipsets[set]!.entries) {
      const src = ipRange(e);
      if (port) boxes.push({ ...src, protocol: port[3] as 'tcp' | 'udp', pLo: Number(port[1]), pHi: Number(port[2] ?? port[1]) });
      else boxes.push({ ...src, protocol: 'icmp', pLo: 0, pHi: 0 });
    }
  }
  return boxes;
}

describe('generated convergence (firewalld permanent XML, firewall-offline-cmd in a lab host)', () => {
  const cases = Number(process.env.VPROV_FIREWALLD_CASES ?? 60);
  const checked = Math.min(cases, Number(process.env.VPROV_FIREWALLD_CHECK_CONFIG ?? 15));
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab([{ name: 'offline' }]);
  }, 240_000);
  afterAll(async () => {
    await lab?.stop();
  });

  it(`${cases} generated hosts: firewalld reads back exactly the oracle's set`, async () => {
    console.log(`firewalld property: seed=${seed} hosts=${cases} (check-config on ${checked}) (replay: VPROV_SEED=${seed} VPROV_FIREWALLD_CASES=${cases})`);
    // Inventories until `cases` hosts have firewall rules (some generated hosts have none).
    const samples = fc.sample(inventoryCase(catalog), { seed, numRuns: cases * 4 });
    const hosts: { key: string; c: Case; desired: ReturnType<typeof desiredFirewalld>; name: string }[] = [];
    samples.forEach((c, i) => {
      if (hosts.length >= cases) return;
      for (const h of compile(inventoryOf(c.inventory)).hosts.filter((x) => x.managed && x.firewall.rules.length > 0)) {
        hosts.push({ key: `c${i}-${h.name}`, c, name: h.name, desired: desiredFirewalld(h.firewall) });
      }
    });
    expect(hosts.length).toBeGreaterThanOrEqual(cases);
    // All files in one tar stream: one docker exec writes them, one Python process reads them.
    const dir = mkdtempSync(join(tmpdir(), 'vprov-fwd-'));
    try {
      for (const h of hosts) {
        for (const sub of ['ipsets', 'policies']) mkdirSync(join(dir, h.key, sub), { recursive: true });
        for (const [path, text] of h.desired.files)
          writeFileSync(join(dir, h.key, path.includes('/ipsets/') ? 'ipsets' : 'policies', path.slice(path.lastIndexOf('/') + 1)), text);
      }
      writeFileSync(join(dir, 'reader.py'), READER_PY);
      execFileSync('docker', ['cp', `${dir}/.`, `${lab.host('offline').id}:/tmp/gen`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const read = await lab.exec('offline', 'mv /tmp/gen/reader.py /tmp/reader.py && python3 /tmp/reader.py /tmp/gen');
    expect(read.stderr).toBe('');
    const states = JSON.parse(read.stdout) as Record<string, FirewalldState>;
    for (const h of hosts) {
      const got = states[h.key]!;
      expect({ host: h.key, lines: canonicalFirewalld(got) }).toEqual({ host: h.key, lines: canonicalFirewalld(h.desired.state) });
      const inv = structuredClone(h.c.inventory);
      delete inv.hosts[h.name]!.firewall; // firewalld: no SSH rules of vprov's own
      expect({ host: h.key, accepted: normalForm(firewalldBoxes(got)) }).toEqual({
        host: h.key,
        accepted: normalForm(expectedBoxes(inv, rules, h.name, null, 22)),
      });
    }
    // firewalld's own whole-configuration check on a sample, with the files where firewalld reads them.
    for (const h of hosts.slice(0, checked)) {
      const r = await lab.exec(
        'offline',
        `rm -f /etc/firewalld/ipsets/vprov-* /etc/firewalld/policies/vprov-* && mkdir -p /etc/firewalld/ipsets /etc/firewalld/policies && cp /tmp/gen/${h.key}/ipsets/* /etc/firewalld/ipsets/ 2>/dev/null; cp /tmp/gen/${h.key}/policies/* /etc/firewalld/policies/ && firewall-offline-cmd --check-config`,
      );
      expect({ host: h.key, code: r.code, stderr: r.stderr }).toEqual({ host: h.key, code: 0, stderr: '' });
    }
  }, 600_000);
});
