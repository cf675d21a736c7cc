/** explain --live: which of the host's other open items let the asked port in, and how the answer reads. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ForeignItem, HostReport } from '../../src/core/report.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { liveAnswer, liveFailed, liveText } from '../../src/report/explain-live.js';
import { vprov } from '../helpers/cli.js';

const item = (over: Partial<ForeignItem>): ForeignItem => ({
  kind: 'accept-rule',
  source: 'table inet other (chain input)',
  what: 'x',
  required: false,
  ...over,
});
const host = (items: ForeignItem[], over: Partial<HostReport> = {}): HostReport => ({
  host: 'hv1',
  status: 'ok',
  managed: true,
  resources: [{ resource: 'firewall', status: 'ok', changes: [], warnings: [], notes: [], rebootRequired: false }],
  rebootRequired: false,
  foreign: { filtered: true, items, notes: [], errors: [] },
  roundTrips: 1,
  durationMs: 5,
  ...over,
});

describe('explain --live', () => {
  const range = item({ protocol: 'tcp', ports: ['8000-9000'], what: 'tcp dport 8000-9000 accept' });
  const udp = item({ protocol: 'udp', ports: ['8443'], what: 'udp dport 8443 accept' });
  const everything = item({ kind: 'zone-target', source: 'zone trusted', what: 'target ACCEPT' });
  const listener = item({ kind: 'listener', source: 'listening', protocol: 'tcp', ports: ['9100'], what: 'tcp 0.0.0.0:9100', open: true });

  it.each([
    ['a port inside a range, any protocol', { host: 'hv1', port: 8443 }, [range, udp, everything]],
    ['tcp only', { host: 'hv1', port: 8443, protocol: 'tcp' as const }, [range, everything]],
    ['a listener on the port', { host: 'hv1', port: 9100, protocol: 'tcp' as const }, [everything, listener]],
    ['no port: everything', { host: 'hv1' }, [range, udp, everything, listener]],
  ])('%s', (_name, query, expected) => {
    expect(liveAnswer(host([range, udp, everything, listener]), query).alsoOpen).toEqual(expected);
  });

  it('an item with ports that do not contain the port is never listed (generated)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 0, max: 100 }), (port, start, width) => {
        const end = Math.min(65535, start + width);
        const it = item({ protocol: 'tcp', ports: [width === 0 ? `${start}` : `${start}-${end}`] });
        const listed = liveAnswer(host([it]), { host: 'hv1', port, protocol: 'tcp' }).alsoOpen.length === 1;
        expect(listed).toBe(port >= start && port <= (width === 0 ? start : end));
      }),
    );
  });

  it('a host that could not be read says why, and fails', () => {
    const a = liveAnswer(host([], { status: 'unreachable', resources: [], foreign: undefined, error: 'connect ECONNREFUSED 192.0.2.9:22' }), {
      host: 'hv1',
      port: 22,
    });
    expect(liveFailed(a)).toBe(true);
    expect(liveText(a, '22/tcp')).toContain('could not read it: unreachable: connect ECONNREFUSED 192.0.2.9:22');
  });

  it("drifted rules are shown with what apply would change; what else is open is said to be someone else's", () => {
    const drifted = host([range], {
      status: 'pending',
      resources: [{ resource: 'firewall', status: 'pending', changes: ['~ table inet vprov: 1 rule missing'], warnings: [], notes: [], rebootRequired: false }],
    });
    const text = liveText(liveAnswer(drifted, { host: 'hv1', port: 8443, protocol: 'tcp' }), '8443/tcp');
    expect(text).toContain("vprov's firewall: drifted, apply would change:\n    ~ table inet vprov: 1 rule missing");
    expect(text).toContain(
      "also open on 8443/tcp, not vprov's (reported, never changed):\n    table inet other (chain input): tcp dport 8000-9000 accept — open, required by no document or site flow",
    );
    expect(liveFailed(liveAnswer(drifted, { host: 'hv1' }))).toBe(false);
  });
  it('host text cannot drive the terminal: control characters and line breaks in what the host says are escaped, as in every report', () => {
    const hostile = '\x1b[2J\x1b[1;1Hvprov: all good\n== hv2: ok\u202e';
    const a = liveAnswer(
      host([], {
        status: 'pending',
        error: `read: ${hostile}`,
        resources: [{ resource: 'firewall', status: 'pending', changes: [`~ ${hostile}`], warnings: [], notes: [], rebootRequired: false }],
        foreign: {
          filtered: true,
          items: [item({ source: `table inet ${hostile}`, what: `tcp dport 8443 accept comment "${hostile}"`, protocol: 'tcp', ports: ['8443'] })],
          notes: [`note ${hostile}`],
          errors: [`nft: ${hostile}`],
        },
      }),
      { host: 'hv1', port: 8443, protocol: 'tcp' },
    );
    const unreadable = liveAnswer(host([], { status: 'unreachable', resources: [], foreign: undefined, error: `ssh: ${hostile}` }), { host: 'hv1' });
    for (const text of [liveText(a, '8443/tcp'), liveText(unreadable, 'any port')]) {
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      expect(text).toContain('\\x1b[2J');
      // a host's line break never starts a line of its own that could pass for a report header
      expect(text).not.toMatch(/^== hv2/m);
    }
  });
  it('a host whose other access was not read is never said to have nothing else open: it says it was not read', () => {
    const notRead = liveAnswer(host([], { status: 'skipped', managed: false, resources: [], foreign: undefined }), { host: 'hv1', port: 22 });
    const text = liveText(notRead, '22/tcp');
    expect(text).not.toContain('nothing else on the host opens');
    expect(text).toContain('what else opens 22/tcp: not read');
    expect(notRead.otherAccessRead).toBe(false);
  });

  it('--live on a managed: false host is bad input (vprov never logs into it), exit 1 before any connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-explain-live-'));
    const inv = join(dir, 'site.yaml');
    // 192.0.2.0/24 (TEST-NET-1) answers nothing: were the host contacted, the run would time out, not exit 1.
    writeFileSync(
      inv,
      'site: lab\nproduct: storware\nplatforms: [{ platform: openstack, method: SSH transfer }]\ndefaults: { ssh: { user: ops, connectTimeout: 1 } }\nhosts:\n  node1: { address: 192.0.2.5, roles: [node] }\n  hv1: { address: 192.0.2.10, roles: [hypervisor], managed: false }\n',
    );
    const r = await vprov('explain', 'hv1:22', '-i', inv, '--live');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--live: hv1 is managed: false: vprov never logs into it/);
    expect(r.stdout).toBe('');
  }, 30_000);
});
