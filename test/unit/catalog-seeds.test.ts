/**
 * The catalog against the five vendor documents, row by row.
 *
 * test/fixtures/seed-rows/*.yaml hold every row of every document's tables, transcribed by hand
 * from the text (document, section, from, to, protocol, ports, optional) — not generated from
 * the catalog. Each row and each catalog flow is cut into atoms (section, from role → to role,
 * protocol, one port or range, optional) and the two sets must be equal in both directions: a
 * deleted row, a port added to a row, a wrong protocol, direction, section or condition fails.
 *
 * With the documents beside the repository (../shared/seeds), two more checks tie the fixtures
 * and the catalog to the text itself; under CI their absence is a failure, not a skip.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { exportRules, type ExportedRule } from '../../src/catalog/export.js';
import { catalog } from '../helpers/catalog.js';
import { prerequisite } from '../helpers/prerequisite.js';

const SEEDS = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));
const ROWS = fileURLToPath(new URL('../fixtures/seed-rows/', import.meta.url));
const rules = exportRules(catalog);

interface Row {
  section: string;
  from: string | string[];
  to: string | string[];
  ports: string;
  protocol?: string;
  optional?: boolean;
  /** ports vprov uses where the document gives none (a documented default, not a statement) */
  default?: string;
  /** the document does not call the row optional; vprov makes it conditional on this flag */
  vprovCondition?: string;
}
interface Transcript {
  document: string;
  roles: Record<string, string>;
  rows: Row[];
}

const transcripts: Transcript[] = readdirSync(ROWS)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => parse(readFileSync(`${ROWS}${f}`, 'utf8')) as Transcript);

const list = (x: string | string[]) => (Array.isArray(x) ? x : [x]);

/** "3300/tcp, 6789/tcp", "5900 to 6923" with protocol "TCP", "Port 53" with "TCP,UDP"… → [port, protocol]. */
export function portsOf(row: Pick<Row, 'ports' | 'protocol' | 'default'>): [string, string][] {
  const rowProtocols = (row.protocol ?? '')
    .toLowerCase()
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (rowProtocols.includes('icmp')) return [['', 'icmp']];
  const text = row.default ?? row.ports;
  return [...text.matchAll(/(\d{1,5})(?:\s*(?:-|to)\s*(\d{1,5}))?(?:\/(tcp|udp)\b)?/gi)].flatMap((m) => {
    const port = m[2] ? `${m[1]}-${m[2]}` : m[1]!;
    const protocols = m[3] ? [m[3].toLowerCase()] : rowProtocols;
    if (protocols.length === 0) throw new Error(`no protocol for ${port} in ${JSON.stringify(row)}`);
    return protocols.map((p): [string, string] => [port, p]);
  });
}

const atom = (section: string, from: string, to: string, protocol: string, port: string, optional: boolean) =>
  `${section} | ${from} → ${to} | ${protocol}${port ? ` ${port}` : ''} | ${optional ? 'optional' : 'required'}`;

function documentAtoms(t: Transcript): Set<string> {
  const role = (word: string) => {
    const r = t.roles[word];
    if (!r) throw new Error(`${t.document}: no role for "${word}" in the transcript's roles`);
    return r;
  };
  const out = new Set<string>();
  for (const row of t.rows) {
    const ports = portsOf(row);
    for (const from of ports.length ? list(row.from) : []) {
      for (const to of list(row.to)) {
        for (const [port, protocol] of ports) out.add(atom(row.section, role(from), role(to), protocol, port, !!row.optional || !!row.vprovCondition));
      }
    }
  }
  return out;
}

function catalogAtoms(document: string, from: ExportedRule[]): Set<string> {
  const out = new Set<string>();
  for (const r of from.filter((x) => x.sources.includes(document))) {
    for (const port of r.ports.length ? r.ports : ['']) out.add(atom(r.section, r.from, r.to, r.protocol, port, r.condition !== null));
  }
  return out;
}

/** What the catalog lacks and what it has beyond the document. */
function compare(t: Transcript, from: ExportedRule[]): { missing: string[]; extra: string[] } {
  const doc = documentAtoms(t);
  const cat = catalogAtoms(t.document, from);
  return { missing: [...doc].filter((a) => !cat.has(a)).sort(), extra: [...cat].filter((a) => !doc.has(a)).sort() };
}

describe('catalog export equals the documents, row by row', () => {
  it('there is a transcript for each of the five documents', () => {
    expect(transcripts.map((t) => t.document)).toEqual([
      '000_bdf7cb44c7b5d374.txt',
      '001_6ea25664ffb2ed16.txt',
      '002_ad5d424cc32dc3b7.txt',
      '003_378dd85a2eeb4b0d.txt',
      '004_1bba7742d99b4ea2.txt',
    ]);
    expect(new Set(rules.flatMap((r) => r.sources))).toEqual(new Set(transcripts.map((t) => t.document)));
  });

  it.each(transcripts.map((t) => [t.document, t] as const))('%s: every row is in the catalog and the catalog has nothing more', (_, t) => {
    expect(documentAtoms(t).size).toBeGreaterThan(10);
    expect(compare(t, rules)).toEqual({ missing: [], extra: [] });
  });

  it('a deleted row fails: oVirt "Disk Image Transfer" without its 54322 flow', () => {
    const without = rules.filter((r) => !(r.platform === 'ovirt' && r.method === 'Disk Image Transfer' && r.ports.includes('54322')));
    expect(without.length).toBe(rules.length - 1);
    for (const t of transcripts.slice(0, 2)) {
      expect(compare(t, without)).toEqual({ missing: ['oVirt/RHV/OLVM / Disk Image Transfer | node → hypervisor | tcp 54322 | required'], extra: [] });
    }
  });

  it('an added port fails: 5566 on the OCI-C source worker', () => {
    const widened = rules.map((r) => (r.platform === 'oci-classic' && r.to === 'source-worker' ? { ...r, ports: [...r.ports, '5566'] } : r));
    const coriolis = transcripts.find((t) => t.document.startsWith('002'))!;
    expect(compare(coriolis, widened)).toEqual({
      missing: [],
      extra: ['Oracle Cloud Infrastructure Classic (OCI-C) | appliance → source-worker | tcp 5566 | required'],
    });
  });

  it('a changed protocol, direction, section or condition fails', () => {
    const olvm = transcripts.find((t) => t.document.startsWith('003'))!;
    const pick = (r: ExportedRule) => r.product === 'olvm' && r.ports.includes('7410');
    const variants: Partial<ExportedRule>[] = [
      { protocol: 'tcp' },
      { from: 'manager', to: 'kvm-host' },
      { section: 'KVM Host Firewall Requirements' },
      { condition: null },
    ];
    for (const change of variants) {
      const changed = rules.map((r) => (pick(r) ? { ...r, ...change } : r));
      const { missing, extra } = compare(olvm, changed);
      expect(missing, JSON.stringify(change)).toEqual(['Engine Host Firewall Requirements | kvm-host → manager | udp 7410 | optional']);
      expect(extra).toHaveLength(1);
    }
  });

  it('reads ports as the documents write them', () => {
    expect(portsOf({ ports: 'If Node is hosting staging space: 111/tcp, 111/UDP, 2049/tcp' })).toEqual([
      ['111', 'tcp'],
      ['111', 'udp'],
      ['2049', 'tcp'],
    ]);
    expect(portsOf({ ports: '5900 to 6923', protocol: 'TCP' })).toEqual([['5900-6923', 'tcp']]);
    expect(portsOf({ ports: 'Port 53 - DNS protocol', protocol: 'TCP,UDP' })).toEqual([
      ['53', 'tcp'],
      ['53', 'udp'],
    ]);
    expect(portsOf({ ports: 'netcat port range defined in node configuration - by default 16000-16999/tcp' })).toEqual([['16000-16999', 'tcp']]);
    expect(portsOf({ ports: 'Not applicable', protocol: 'ICMP' })).toEqual([['', 'icmp']]);
    expect(portsOf({ ports: 'ports that were defined in endpoints', default: '5000/tcp' })).toEqual([['5000', 'tcp']]);
    expect(() => portsOf({ ports: 'Port 80' })).toThrow(/no protocol/);
  });
});

const haveSeeds = prerequisite('the vendor documents (../shared/seeds/*.txt)', existsSync(SEEDS), 'CI clones the repository with shared/ beside it');
const seed = (name: string) => readFileSync(`${SEEDS}${name}`, 'utf8');
const flat = (s: string) => s.replace(/\s+/g, ' ');

describe.skipIf(!haveSeeds)('the transcripts and the catalog against the documents’ text', () => {
  it.each(transcripts.map((t) => [t.document, t] as const))('%s: every heading, party and port cell of the transcript is in the text', (doc, t) => {
    const text = flat(seed(doc));
    const absent: string[] = [];
    for (const row of t.rows) {
      const words = [...row.section.split(' / '), ...list(row.from), ...list(row.to), ...row.ports.split(/, (?=[A-Z]|\d|Port)/)];
      for (const w of words) if (!text.includes(flat(w))) absent.push(w);
    }
    expect(absent).toEqual([]);
  });

  type Need = { port: string; protocol: 'tcp' | 'udp' };
  const covered = (doc: string, { port, protocol }: Need) => rules.some((r) => r.sources.includes(doc) && r.protocol === protocol && r.ports.includes(port));

  /** "22/tcp", "16000-16999/tcp", "111/UDP" — the Storware/DPX vPlus notation. */
  const slashPorts = (text: string): Need[] =>
    [...text.matchAll(/\b(\d{1,5}(?:-\d{1,5})?)\/(tcp|udp)\b/gi)].map((m) => ({ port: m[1]!, protocol: m[2]!.toLowerCase() as Need['protocol'] }));
  /** Coriolis tables: "Service | 22, 4433 | TCP |". */
  const coriolisPorts = (text: string): Need[] =>
    [...text.matchAll(/^[^|\n]+\|\s*([\d, ]+)\s*\|\s*(TCP|UDP)\s*\|/gm)].flatMap((m) =>
      m[1]!.split(',').map((p) => ({ port: p.trim(), protocol: m[2]!.toLowerCase() as Need['protocol'] })),
    );
  /** OLVM tables: rows start "5900 to 6923 TCP", "5432 TCP,UDP", "80, 443 TCP". */
  const olvmPorts = (text: string): Need[] =>
    [...text.matchAll(/^(\d+(?:, \d+)*|\d+ to \d+) (TCP,UDP|TCP|UDP)\b/gm)].flatMap((m) => {
      const ports = m[1]!.includes(' to ') ? [m[1]!.replace(' to ', '-')] : m[1]!.split(', ');
      return ports.flatMap((port) => m[2]!.split(',').map((p) => ({ port, protocol: p.toLowerCase() as Need['protocol'] })));
    });
  /** App Layering: table cells "| TCP | 3000 (HTTP), 3500 (HTTPS) |" and "Port N" in the key port lists. */
  const appLayeringPorts = (text: string): Need[] => {
    const table = [...text.matchAll(/\|\s*(TCP|UDP)\s*\|\s*([^|]+)\|/g)].flatMap((m) =>
      [...m[2]!.matchAll(/\d+/g)].map((n) => ({ port: n[0], protocol: m[1]!.toLowerCase() as Need['protocol'] })),
    );
    const keyPorts = [...text.matchAll(/Ports? (\d+)(?: (?:HTTP|HTTPS))?(?:, (\d+) HTTPS)?(?: - (\w+) protocol)?/g)].flatMap((m) => {
      const proto = m[3] === 'UDP' || m[3] === 'NTP' || m[3] === 'DHCP' ? 'udp' : 'tcp';
      return [m[1], m[2]].filter((p): p is string => !!p).map((port) => ({ port, protocol: proto as Need['protocol'] }));
    });
    return [...table, ...keyPorts];
  };
  const extractors: [string, (t: string) => Need[], number][] = [
    ['000_bdf7cb44c7b5d374.txt', slashPorts, 20],
    ['001_6ea25664ffb2ed16.txt', slashPorts, 25],
    ['002_ad5d424cc32dc3b7.txt', coriolisPorts, 30],
    ['003_378dd85a2eeb4b0d.txt', olvmPorts, 15],
    ['004_1bba7742d99b4ea2.txt', appLayeringPorts, 30],
  ];

  it.each(extractors)('%s: every port the text states is in the catalog with that document and protocol', (doc, extract, atLeast) => {
    const needs = extract(seed(doc));
    expect(needs.length).toBeGreaterThanOrEqual(atLeast);
    expect(needs.filter((n) => !covered(doc, n)).map((n) => `${n.port}/${n.protocol}`)).toEqual([]);
  });

  it('no catalog port is missing from the text of the documents it cites, except documented defaults', () => {
    const unstated: string[] = [];
    for (const product of catalog.products.values()) {
      for (const f of product.flows) {
        const isDefault = f.param !== null && product.params[f.param]!.default.join() === f.ports.join();
        for (const p of f.ports) {
          const [a, b] = p.split('-');
          const stated = f.sources.some((doc) => {
            const text = seed(doc);
            return b ? text.includes(`${a}-${b}`) || text.includes(`${a} to ${b}`) : new RegExp(`(^|[^\\d])${a}([^\\d]|$)`).test(text);
          });
          if (!stated && !isDefault) unstated.push(`${f.id}: ${p}`);
        }
      }
    }
    expect(unstated).toEqual([]);
  });
});

describe('catalog export', () => {
  it('every rule has a section, a source document, an explicit protocol and a purpose', () => {
    for (const r of rules) {
      expect(r.section.length, JSON.stringify(r)).toBeGreaterThan(0);
      expect(r.sources.length, JSON.stringify(r)).toBeGreaterThan(0);
      expect(['tcp', 'udp', 'icmp']).toContain(r.protocol);
      expect(r.purpose.length).toBeGreaterThan(0);
    }
  });

  it('cites no document that does not state the row: the OpenStack endpoint defaults cite only the Storware documents', () => {
    const keystone = rules.filter((r) => r.product === 'storware' && r.platform === 'openstack' && r.method === 'Disk attachment' && r.to === 'manager');
    expect(keystone.map((r) => r.ports[0]).sort()).toEqual(['5000', '8774', '8776', '9292']);
    for (const r of keystone) expect(r.sources).toEqual(['000_bdf7cb44c7b5d374.txt', '001_6ea25664ffb2ed16.txt']);
    expect(rules.filter((r) => r.product !== 'coriolis' && r.sources.includes('002_ad5d424cc32dc3b7.txt'))).toEqual([]);
  });

  it('the section tells apart rules that would otherwise look alike (OLVM, App Layering: no method)', () => {
    const groups = (withSection: boolean) => {
      const seen = new Map<string, number>();
      for (const r of rules) {
        const key = JSON.stringify([r.product, r.platform, r.method, withSection ? r.section : '', r.from, r.to, r.protocol, r.ports, r.condition]);
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
    };
    expect(groups(false).length).toBeGreaterThan(0);
    expect(groups(true)).toEqual([]);
    const sections = new Set(rules.filter((r) => r.product === 'app-layering').map((r) => r.section));
    expect(sections).toContain('Internal connections');
    expect(sections).toContain('Key ports / Servers');
  });

  it('has the shape of docs/design.md §3', () => {
    const r = rules.find((x) => x.product === 'storware' && x.platform === 'openstack' && x.method === 'SSH transfer' && x.ports[0] === '22')!;
    expect(r).toEqual({
      product: 'storware',
      platform: 'openstack',
      platformTitle: 'OpenStack',
      method: 'SSH transfer',
      section: 'OpenStack / SSH transfer',
      from: 'node',
      to: 'hypervisor',
      protocol: 'tcp',
      ports: ['22'],
      purpose: 'SSH access',
      condition: null,
      sources: ['000_bdf7cb44c7b5d374.txt', '001_6ea25664ffb2ed16.txt'],
    });
  });
});
