/**
 * The benchmarks' per-host check (test/bench/lib/expect.js): every host once, a healthy host
 * changed / in sync, a host whose fault fired never ok, changed or pending, and after an apply
 * a fault cut short the drift finds that host pending — never in sync.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
// @ts-expect-error plain JavaScript of the bench, no types
import { checkHosts, expectedStatuses } from '../bench/lib/expect.js';
// @ts-expect-error plain JavaScript of the bench, no types
import { FAULTS } from '../bench/lib/sim-ssh.js';

const KINDS = Object.keys(FAULTS) as string[];
const names = ['s0', 's1', 's2', 's3'];
const report = (statuses: Record<string, string>) => new Map(Object.entries(statuses).map(([host, status]) => [host, { host, status }]));

describe('the benchmarks check each simulated host against its fault', () => {
  it('all as expected: no problem', () => {
    const plan = new Map([
      ['s1', 'refuse'],
      ['s2', 'stall-apply'],
      ['s3', 'slow'],
    ]);
    expect(checkHosts('apply', report({ s0: 'changed', s1: 'unreachable', s2: 'failed', s3: 'changed' }), names, plan, 'apply')).toEqual([]);
    expect(checkHosts('drift', report({ s0: 'ok', s1: 'unreachable', s2: 'pending', s3: 'ok' }), names, plan, 'drift', { afterFaultyApply: true })).toEqual([]);
  });

  it('a faulty host reported ok or in sync is a problem, whichever fault and command', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS.filter((k) => k !== 'slow')), fc.constantFrom('apply', 'drift'), fc.boolean(), (fault, phase, after) => {
        const wantHealthy = expectedStatuses(fault, phase, { afterFaultyApply: after });
        // A fault that fires in this command, or a drift after the apply it cut short: ok / changed is wrong.
        fc.pre(!wantHealthy.includes(phase === 'apply' ? 'changed' : 'ok'));
        const good = phase === 'apply' ? 'changed' : 'ok';
        const problems = checkHosts(phase, report({ s0: good, s1: good, s2: good, s3: good }), names, new Map([['s2', fault]]), phase, {
          afterFaultyApply: after,
        });
        expect(problems).toHaveLength(1);
        expect(problems[0]).toMatch(new RegExp(`1 hosts not as expected, e.g. s2 \\(${fault}\\) ${good}, not `));
      }),
      { numRuns: 200 },
    );
  });

  it('after a faulty apply, a host it never converged is pending in the drift: in sync there is a problem', () => {
    for (const fault of ['reset-apply', 'stall-apply', 'over-time']) {
      expect(expectedStatuses(fault, 'drift', { afterFaultyApply: true })).toEqual(['pending']);
      const got = checkHosts('drift', report({ s0: 'ok', s1: 'ok', s2: 'ok', s3: 'ok' }), names, new Map([['s1', fault]]), 'drift', { afterFaultyApply: true });
      expect(got).toEqual([`drift: 1 hosts not as expected, e.g. s1 (${fault}) ok, not pending`]);
    }
  });

  it('a host missing, a report missing: problems that say so', () => {
    expect(checkHosts('drift', report({ s0: 'ok', s1: 'ok', s2: 'ok' }), names, new Map(), 'drift')).toEqual([
      'drift: 3 hosts in the report, not 4',
      'drift: 1 hosts not as expected, e.g. s3 missing',
    ]);
    expect(checkHosts('apply', null, names, new Map(), 'apply', { code: 1, stderr: 'boom' })).toEqual(['apply: no JSON report (exit 1): boom']);
  });
});
