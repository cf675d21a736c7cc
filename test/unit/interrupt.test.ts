/**
 * An interrupted run: the first signal stops new hosts, the grace period or a second signal
 * stops the ones in flight; hosts never started get their own result; the exit code has bit 4.
 */
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { InterruptController } from '../../src/app/interrupt.js';
import { forEachBounded } from '../../src/app/runner.js';
import { exitCodeOf } from '../../src/app/exit-code.js';
import { mergeReports } from '../../src/app/merge.js';
import { recap } from '../../src/report/text.js';
import type { RunReport } from '../../src/core/report.js';

describe('interrupt', () => {
  it('first signal: no new host; after the grace period: stop the ones in flight', () => {
    vi.useFakeTimers();
    try {
      const c = new InterruptController(10_000);
      expect([c.stopStarting.aborted, c.stopNow.aborted, c.signal]).toEqual([false, false, undefined]);
      expect(c.trigger('SIGTERM')).toBe('stop-starting');
      expect([c.stopStarting.aborted, c.stopNow.aborted, c.signal]).toEqual([true, false, 'SIGTERM']);
      vi.advanceTimersByTime(9_999);
      expect(c.stopNow.aborted).toBe(false);
      vi.advanceTimersByTime(1);
      expect([c.stopNow.aborted, c.stopNow.reason]).toEqual([true, 'SIGTERM']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a second signal stops the hosts in flight at once; the first signal is the one reported', () => {
    const c = new InterruptController(60_000);
    c.trigger('SIGINT');
    expect(c.trigger('SIGTERM')).toBe('stop-now');
    expect([c.stopNow.aborted, c.signal]).toEqual([true, 'SIGINT']);
    c.dispose();
  });

  it('no item starts once stop is set: the ones left get notStarted, in order, and none is lost', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 45 }), async (n, limit, stopAfter) => {
        const stop = new AbortController();
        const started: number[] = [];
        const items = Array.from({ length: n }, (_, i) => i);
        const out = await forEachBounded(
          items,
          limit,
          async (i) => {
            started.push(i);
            if (started.length === stopAfter) stop.abort('SIGINT');
            await Promise.resolve();
            return `done ${i}`;
          },
          { signal: stop.signal, notStarted: (i) => `not started ${i}` },
        );
        expect(out).toHaveLength(n);
        const startedSet = new Set(started);
        out.forEach((r, i) => {
          expect(r).toBe(startedSet.has(i) ? `done ${i}` : `not started ${i}`);
        });
        // Started items are a prefix: nothing after the first one left out ran.
        expect([...startedSet].sort((a, b) => a - b)).toEqual(items.slice(0, started.length));
        expect(started.length).toBe(Math.min(n, Math.max(stopAfter, 0) || n));
      }),
    );
  });

  const report = (over: Partial<RunReport> = {}): RunReport => ({
    command: 'drift',
    site: 'lab',
    inventory: 'inv.yaml',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    warnings: [],
    hosts: [{ host: 'a', status: 'ok', managed: true, resources: [], rebootRequired: false, roundTrips: 1, durationMs: 1 }],
    ...over,
  });

  it('an interrupted run exits with bit 4 even when every host that ran is in sync; its recap says so', () => {
    expect(exitCodeOf(report())).toBe(0);
    const stopped = report({ interrupted: { signal: 'SIGTERM', notStarted: 3 } });
    expect(exitCodeOf(stopped)).toBe(4);
    expect(recap(stopped).join('\n')).toMatch(/^INTERRUPTED by SIGTERM: 3 host\(s\) not started/m);
  });

  it('merged shard reports: one interrupted shard makes the merged run interrupted, its hosts not started added up', () => {
    const doc = (r: RunReport, shard: string) => ({ version: 1 as const, exitCode: exitCodeOf(r), ...r, shard });
    // g, b and c are in shards 1, 2 and 3 of 3 (--shard's split by name)
    const a = doc(report({ hosts: [{ ...report().hosts[0]!, host: 'g' }], interrupted: { signal: 'SIGTERM', notStarted: 2 } }), '1/3');
    const b = doc(report({ hosts: [{ ...report().hosts[0]!, host: 'b' }] }), '2/3');
    const c = doc(report({ hosts: [{ ...report().hosts[0]!, host: 'c' }], interrupted: { signal: 'SIGTERM', notStarted: 5 } }), '3/3');
    expect(mergeReports([a, b, c]).interrupted).toEqual({ signal: 'SIGTERM', notStarted: 7 });
    expect(mergeReports([b]).interrupted).toBeUndefined();
  });
});
