/**
 * A report folded host by host as hosts finish (src/app/report-fold.ts: each host's JSON, text
 * block and audit line rendered at once and kept on disk, a slim copy kept in memory) is byte for
 * byte the report rendered from the whole run, for any hosts; the exit code and the recap read
 * from the slim copies are the same too.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ReportFold, slimHost } from '../../src/app/report-fold.js';
import { auditLines } from '../../src/app/audit-log.js';
import { exitCodeOf } from '../../src/app/exit-code.js';
import { renderJson } from '../../src/report/json.js';
import { recap, renderText } from '../../src/report/text.js';
import type { HostReport, ResourceReport, RunReport } from '../../src/core/report.js';
import type { RunIdentity } from '../../src/app/run-identity.js';

// Host text as hosts print it: any character, control characters and line breaks included.
const text = fc.string({ unit: 'binary', maxLength: 40 });
const lines = fc.array(text, { maxLength: 3 });
const resource: fc.Arbitrary<ResourceReport> = fc.record(
  {
    resource: fc.constantFrom('firewall', 'account', 'sudoers', 'selinux', 'ipstack'),
    status: fc.constantFrom('ok', 'changed', 'pending', 'failed', 'not-applicable', 'unknown'),
    changes: lines,
    diff: fc.string({ maxLength: 200 }),
    warnings: lines,
    notes: lines,
    rebootRequired: fc.boolean(),
    error: text,
    confirmedAfterSeconds: fc.nat(600),
    rolledBack: fc.constant(true),
  },
  { requiredKeys: ['resource', 'status', 'changes', 'warnings', 'notes', 'rebootRequired'] },
) as fc.Arbitrary<ResourceReport>;
const host: fc.Arbitrary<HostReport> = fc.record(
  {
    host: fc.string({ minLength: 1, maxLength: 20 }),
    status: fc.constantFrom('ok', 'changed', 'pending', 'failed', 'unreachable', 'skipped'),
    managed: fc.boolean(),
    resources: fc.array(resource, { maxLength: 4 }),
    error: text,
    rebootRequired: fc.boolean(),
    rebooting: fc.boolean(),
    rebooted: fc.boolean(),
    notes: lines,
    foreign: fc.record({
      filtered: fc.constantFrom(true, false, null),
      items: fc.array(
        fc.record({
          kind: fc.constantFrom('accept-rule', 'zone-port', 'listener'),
          source: text,
          what: text,
          required: fc.boolean(),
          open: fc.boolean(),
        }),
        { maxLength: 2 },
      ),
      notes: lines,
    }),
    takenOver: fc.record({ site: text, controller: text, updated: text }),
    roundTrips: fc.nat(4),
    durationMs: fc.nat(100_000),
  },
  { requiredKeys: ['host', 'status', 'managed', 'resources', 'rebootRequired', 'roundTrips', 'durationMs'] },
) as fc.Arbitrary<HostReport>;

const run: RunIdentity = { runId: 'r-1', controller: 'ops@ctl', user: 'ops', pid: 42, version: '0.1.0' } as RunIdentity;

function reportOf(command: RunReport['command'], hosts: HostReport[], interrupted: boolean, planFile: boolean): RunReport {
  return {
    command,
    site: 'dc1',
    inventory: 'inventories/dc1.yaml',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1234,
    warnings: [{ code: 'w', message: 'a warning' }],
    hosts,
    ...(interrupted ? { interrupted: { signal: 'SIGINT', notStarted: 1 } } : {}),
    ...(planFile ? { planFile: { path: 'p.plan', sha256: 'abc' } } : {}),
  };
}

describe('reports folded as hosts finish', () => {
  it('JSON, text (with and without diffs) and audit lines equal those rendered from the whole run; exit code and recap too', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('plan', 'apply', 'verify', 'drift'),
        fc.array(host, { maxLength: 6 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (command: RunReport['command'], hosts, diff, interrupted, planFile) => {
          const whole = reportOf(command, hosts, interrupted, planFile);
          const fold = new ReportFold(command, { json: true, text: { diff }, audit: true });
          try {
            // Hosts finish in any order; the fold gives them back in the report's order.
            const slim: HostReport[] = [];
            for (const i of [...hosts.keys()].reverse()) slim[i] = fold.keep(hosts[i]!, i);
            const folded = reportOf(command, slim, interrupted, planFile);
            const code = exitCodeOf(whole);
            expect(exitCodeOf(folded)).toBe(code);
            expect([...fold.jsonChunks(folded, code)].join('')).toBe(renderJson(whole, code));
            expect([...fold.textChunks(folded)].join('')).toBe(renderText(whole, { diff }));
            expect(fold.auditLines(folded, run)).toEqual(auditLines(whole, run));
            expect(recap(folded)).toEqual(recap(whole));
          } finally {
            fold.close();
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the slim copy keeps no diff, change, note or foreign item: what grows with a host is on disk', () => {
    const h: HostReport = {
      host: 'h1',
      status: 'changed',
      managed: true,
      resources: [
        { resource: 'firewall', status: 'changed', changes: ['+ set x { 10.0.0.1 }'], diff: '=====\n+x', warnings: ['w'], notes: ['n'], rebootRequired: false },
      ],
      rebootRequired: false,
      notes: ['adopted'],
      foreign: { filtered: true, items: [], notes: ['x'] },
      roundTrips: 2,
      durationMs: 5,
    };
    expect(slimHost(h)).toEqual({
      host: 'h1',
      status: 'changed',
      managed: true,
      resources: [{ resource: 'firewall', status: 'changed', changes: [], warnings: [], notes: [], rebootRequired: false }],
      rebootRequired: false,
      roundTrips: 2,
      durationMs: 5,
    });
  });
});
