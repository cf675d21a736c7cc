/**
 * Walks each vendor document in ../shared/seeds and checks that every port and range it
 * lists is in `catalog export`, with that document among `sources` and the right protocol.
 * The expectations are read from the documents here, never generated from the catalog.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exportRules } from '../../src/catalog/export.js';
import { catalog } from '../helpers/catalog.js';

const SEEDS = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));
const rules = exportRules(catalog);
const seed = (name: string) => readFileSync(`${SEEDS}${name}`, 'utf8');

type Need = { port: string; protocol: 'tcp' | 'udp' };

function covered(doc: string, { port, protocol }: Need): boolean {
  const [a, b] = port.split('-').map(Number) as [number, number?];
  return rules.some(
    (r) =>
      r.sources.includes(doc) &&
      r.protocol === protocol &&
      r.ports.some((p) => {
        const [x, y] = p.split('-').map(Number) as [number, number?];
        return x === a && (y ?? x) === (b ?? a);
      }),
  );
}

/** "22/tcp", "16000-16999/tcp", "111/UDP" — the Storware/DPX vPlus notation. */
function slashPorts(text: string): Need[] {
  return [...text.matchAll(/\b(\d{1,5}(?:-\d{1,5})?)\/(tcp|udp)\b/gi)].map((m) => ({ port: m[1]!, protocol: m[2]!.toLowerCase() as 'tcp' | 'udp' }));
}

/** Coriolis tables: "Service | 22, 4433 | TCP |". */
function coriolisPorts(text: string): Need[] {
  return [...text.matchAll(/^[^|\n]+\|\s*([\d, ]+)\s*\|\s*(TCP|UDP)\s*\|/gm)].flatMap((m) =>
    m[1]!.split(',').map((p) => ({ port: p.trim(), protocol: m[2]!.toLowerCase() as 'tcp' | 'udp' })),
  );
}

/** OLVM tables: rows start "5900 to 6923 TCP", "5432 TCP,UDP", "80, 443 TCP". */
function olvmPorts(text: string): Need[] {
  return [...text.matchAll(/^(\d+(?:, \d+)*|\d+ to \d+) (TCP,UDP|TCP|UDP)\b/gm)].flatMap((m) => {
    const ports = m[1]!.includes(' to ') ? [m[1]!.replace(' to ', '-')] : m[1]!.split(', ');
    return ports.flatMap((port) => m[2]!.split(',').map((p) => ({ port, protocol: p.toLowerCase() as 'tcp' | 'udp' })));
  });
}

/** App Layering: table cells "| TCP | 3000 (HTTP), 3500 (HTTPS) |" and "Port N" in the key port lists. */
function appLayeringPorts(text: string): Need[] {
  const table = [...text.matchAll(/\|\s*(TCP|UDP)\s*\|\s*([^|]+)\|/g)].flatMap((m) =>
    [...m[2]!.matchAll(/\d+/g)].map((n) => ({ port: n[0], protocol: m[1]!.toLowerCase() as 'tcp' | 'udp' })),
  );
  const keyPorts = [...text.matchAll(/Ports? (\d+)(?: (?:HTTP|HTTPS))?(?:, (\d+) HTTPS)?(?: - (\w+) protocol)?/g)].flatMap((m) => {
    const proto = m[3] === 'UDP' || m[3] === 'NTP' || m[3] === 'DHCP' ? 'udp' : 'tcp';
    return [m[1], m[2]].filter((p): p is string => !!p).map((port) => ({ port, protocol: proto as 'tcp' | 'udp' }));
  });
  return [...table, ...keyPorts];
}

const documents: [string, (t: string) => Need[], number][] = [
  ['000_bdf7cb44c7b5d374.txt', slashPorts, 20],
  ['001_6ea25664ffb2ed16.txt', slashPorts, 25],
  ['002_ad5d424cc32dc3b7.txt', coriolisPorts, 30],
  ['003_378dd85a2eeb4b0d.txt', olvmPorts, 15],
  ['004_1bba7742d99b4ea2.txt', appLayeringPorts, 30],
];

describe.skipIf(!existsSync(SEEDS))('catalog covers every port of the vendor documents', () => {
  it.each(documents)('%s', (doc, extract, atLeast) => {
    const needs = extract(seed(doc));
    expect(needs.length).toBeGreaterThanOrEqual(atLeast);
    const missing = needs.filter((n) => !covered(doc, n)).map((n) => `${n.port}/${n.protocol}`);
    expect(missing).toEqual([]);
  });

  it('OLVM ICMP diagnostics row is an icmp flow with no ports', () => {
    expect(rules.some((r) => r.sources.includes('003_378dd85a2eeb4b0d.txt') && r.protocol === 'icmp' && r.ports.length === 0)).toBe(true);
  });
});

describe('catalog export invariants', () => {
  it('every flow has a source document, an explicit protocol and a purpose', () => {
    for (const r of rules) {
      expect(r.sources.length, JSON.stringify(r)).toBeGreaterThan(0);
      expect(['tcp', 'udp', 'icmp']).toContain(r.protocol);
      expect(r.purpose.length).toBeGreaterThan(0);
    }
  });

  it.skipIf(!existsSync(SEEDS))('no port appears that its documents do not state', () => {
    for (const r of rules) {
      for (const p of r.ports) {
        const stated = r.sources.some((doc) => {
          const text = seed(doc);
          const [a, b] = p.split('-');
          return b ? text.includes(`${a}-${b}`) || text.includes(`${a} to ${b}`) : new RegExp(`(^|[^\\d])${a}([^\\d]|$)`).test(text);
        });
        expect(stated, `${p} in ${JSON.stringify(r)}`).toBe(true);
      }
    }
  });

  it('has the shape of DESIGN.md §3', () => {
    const r = rules.find((x) => x.product === 'storware' && x.platform === 'openstack' && x.method === 'SSH transfer' && x.ports[0] === '22')!;
    expect(r).toEqual({
      product: 'storware', platform: 'openstack', platformTitle: 'OpenStack', method: 'SSH transfer', from: 'node', to: 'hypervisor',
      protocol: 'tcp', ports: ['22'], purpose: 'SSH access', condition: null, sources: ['000_bdf7cb44c7b5d374.txt', '001_6ea25664ffb2ed16.txt'],
    });
  });
});
