/**
 * The JSON report written host by host is the very document JSON.stringify makes of the whole
 * report, byte for byte: generated reports with every optional key, no hosts, and values that
 * look like the layout the chunking relies on ("hosts": [] in strings and keys, newlines, quotes).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/core/report.js';
import { jsonChunks, renderJson, REPORT_VERSION } from '../../src/report/json.js';

const tricky = fc.oneof(fc.string(), fc.constantFrom('\n  "hosts": []', '"hosts": [],\n', '\n}', 'a\nb "c"', '\u2028'));
const value = fc.oneof(tricky, fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(tricky, { maxLength: 3 }));
const host = fc.dictionary(fc.oneof(tricky, fc.constantFrom('hosts', 'host', 'status')), value, { maxKeys: 6 });
const report = fc.record(
  {
    command: fc.constantFrom('plan', 'apply', 'verify', 'drift'),
    inventory: tricky,
    startedAt: fc.constant('2026-11-24T10:00:00.000Z'),
    durationMs: fc.nat(),
    warnings: fc.array(fc.record({ code: tricky, message: tricky }), { maxLength: 2 }),
    hosts: fc.array(host, { maxLength: 5 }),
    shard: tricky,
    connectivity: fc.array(fc.record({ from: tricky, ok: fc.boolean() }), { maxLength: 2 }),
  },
  { requiredKeys: ['command', 'inventory', 'startedAt', 'durationMs', 'warnings', 'hosts'] },
) as fc.Arbitrary<unknown> as fc.Arbitrary<RunReport>;

describe('JSON report, host by host', () => {
  it('is byte for byte the whole document', () => {
    fc.assert(
      fc.property(report, fc.integer({ min: 0, max: 255 }), (r, code) => {
        const whole = `${JSON.stringify({ version: REPORT_VERSION, exitCode: code, ...r }, null, 2)}\n`;
        const chunks = [...jsonChunks(r, code)];
        expect(chunks.join('')).toBe(whole);
        expect(renderJson(r, code)).toBe(whole);
        expect(chunks.length).toBe(r.hosts.length === 0 ? 1 : r.hosts.length + 2); // one string per host, never the whole
        expect(JSON.parse(chunks.join(''))).toEqual(JSON.parse(whole));
      }),
      { numRuns: 400 },
    );
  });
});
