/**
 * Chaos at scale: a few hundred simulated hosts (test/bench/lib/sim-ssh.js, answers recorded a
 * moment earlier from two real lab hosts), 5% of them faulty in every way the simulator knows,
 * seeded. The real CLI runs apply and drift against them. No crash; every host in the report
 * with the status its fault earns (a faulty host is never ok / changed / in sync; one whose apply
 * started and whose connection died is "unknown"); every host within its time limit and the
 * process gone within a bound; exit bits right; the healthy hosts' results identical to a
 * fault-free run. VPROV_CHAOS_SEED replays a failure (the seed is in every failure message);
 * VPROV_CHAOS_HOSTS changes the fleet size.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
// @ts-expect-error plain JavaScript shared with the benchmark
import { FAULTS, planFaults, evenly } from '../bench/lib/sim-ssh.js';
import { runVprov } from '../helpers/bin.js';
import { startSimFleet, type SimFleetHandle } from '../helpers/sim-fleet.js';
import { tierSeed } from '../helpers/seed.js';

// Pinned in CI, drawn elsewhere (test/helpers/seed.ts). VPROV_CHAOS_SEED=N replays a run
// (30734931 once found a garbled key read as its default, before the facts output carried its
// checksum); VPROV_CHAOS_SEED=random draws one in CI too.
const SEED = tierSeed('VPROV_CHAOS_SEED', 1244826859);
const HOSTS = Number(process.env.VPROV_CHAOS_HOSTS ?? 300);
const RATE = Number(process.env.VPROV_CHAOS_RATE ?? 0.05);
const FORKS = 25;
// The limits, each shorter than the next, so that every stall meets the one it is meant to.
// Wide enough that a healthy simulated host stays well inside them on a 2-core machine shared
// with other work (at 4/5/8 s, healthy hosts missed them at a load average of 18).
const CONNECT_S = 10;
const COMMAND_S = 12;
const TIMEOUT_S = 20;
/** over-time: each step 7.5 s late (under each limit); the three steps of an apply pass --timeout, the two of a drift do not */
const OVER_TIME_MS = 7500;
const SLOW_MS = 300;
const tag = `chaos seed ${SEED} (VPROV_CHAOS_SEED=${SEED} replays it)`;

interface HostReport {
  host: string;
  status: string;
  error?: string;
  durationMs: number;
  roundTrips: number;
  resources: { resource: string; status: string; error?: string }[];
}
interface Report {
  hosts: HostReport[];
}

type Expect = { status: string | string[]; error: RegExp; unknown?: boolean } | 'healthy';
const lostBeforeHandshake = /ECONNRESET|Connection lost before handshake|connection closed during set-up|timed out after 20 s \(--timeout\) while connecting/;
/** What each fault earns, per command. "healthy": the fault never fires in that command. */
const EXPECT: Record<string, { apply: Expect; drift: Expect }> = {
  refuse: both({ status: 'unreachable', error: /ECONNREFUSED/ }),
  'reset-handshake': both({ status: ['unreachable', 'failed'], error: lostBeforeHandshake }),
  'stall-handshake': both({ status: 'unreachable', error: new RegExp(`no SSH handshake within ${CONNECT_S} s \\(ssh.connectTimeout\\)`) }),
  'host-key': both({ status: 'unreachable', error: /host key/i }),
  'sudo-prompt': both({ status: 'failed', error: /sudo refused for ops: sudo: a password is required \(set VPROV_BECOME_PASSWORD or use --ask-become-pass\)/ }),
  'reset-facts': both({ status: 'unreachable', error: /connection to 127\.0\.0\.1 lost/ }),
  'stall-facts': both({ status: 'failed', error: new RegExp(`command timed out after ${COMMAND_S} s`) }),
  'no-close': both({ status: 'failed', error: new RegExp(`command timed out after ${COMMAND_S} s`) }),
  'truncated-facts': both({ status: 'failed', error: /^gathering facts failed: the output was cut short or garbled: it has no checksum line/ }),
  // Whichever fact the garbage hits, the output as a whole no longer matches its checksum.
  'garbled-facts': both({ status: 'failed', error: /^gathering facts failed: the output does not match its checksum/ }),
  'reset-apply': { apply: { status: 'failed', error: /^unknown: the connection was lost after the apply script started/, unknown: true }, drift: 'healthy' },
  'stall-apply': {
    apply: {
      status: 'failed',
      error: new RegExp(`^unknown: (command timed out after ${COMMAND_S} s|timed out after ${TIMEOUT_S} s \\(--timeout\\)).*after the apply script started`),
      unknown: true,
    },
    drift: 'healthy',
  },
  slow: both('healthy'),
  'over-time': {
    apply: { status: 'failed', error: new RegExp(`^unknown: timed out after ${TIMEOUT_S} s \\(--timeout\\) after the apply script started`), unknown: true },
    drift: 'healthy',
  },
};
function both(e: Expect) {
  return { apply: e, drift: e };
}

let fleet: SimFleetHandle;
let names: string[] = [];

beforeAll(async () => {
  console.log(`${tag}, ${HOSTS} simulated hosts, ${RATE * 100}% faulty`);
  fleet = await startSimFleet(HOSTS, {
    seed: SEED,
    delayMs: { slow: SLOW_MS, overTime: OVER_TIME_MS },
    limits: { connectTimeout: CONNECT_S, commandTimeout: COMMAND_S },
  });
  names = fleet.names;
}, 300_000);

afterAll(async () => {
  await fleet?.stop();
});

function vprov(...args: string[]) {
  return runVprov([...args, '-i', fleet.inventory, '--timeout', String(TIMEOUT_S), '--format', 'json', '--forks', String(FORKS)], { limitMs: 600_000 });
}

async function run(command: 'apply' | 'drift', faults: Map<string, string>) {
  const { sim } = fleet;
  await sim.setFaults(faults);
  fleet.setStates(command === 'apply' ? 'fresh' : 'converged');
  sim.mismatches.length = 0;
  const t0 = Date.now();
  const r = await vprov(command);
  const mismatches = [...sim.mismatches];
  const wallMs = Date.now() - t0;
  let report: Report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    throw new Error(`${tag}: ${command}: no JSON report (exit ${r.code}, signal ${r.signal}, hung ${r.hung}): ${r.stderr.slice(0, 2000)}`);
  }
  if (process.env.VPROV_CHAOS_DUMP) writeFileSync(`${process.env.VPROV_CHAOS_DUMP}-${command}-${faults.size}.json`, r.stdout);
  return { ...r, report, wallMs, mismatches };
}

/** A host's result without what differs between two runs of the same work (how long it took). */
const comparable = (h: HostReport) => ({ ...h, durationMs: 0 });

describe.each(['apply', 'drift'] as const)('%s of a fleet with 5%% faulty hosts', (command) => {
  const healthyStatus = command === 'apply' ? 'changed' : 'ok';
  let clean: Awaited<ReturnType<typeof run>>;
  let chaos: Awaited<ReturnType<typeof run>>;
  const faults = () => planFaults(names, { seed: SEED, rates: evenly(RATE, Object.keys(FAULTS)) }) as Map<string, string>;

  beforeAll(async () => {
    clean = await run(command, new Map());
    chaos = await run(command, faults());
  }, 900_000);

  it('the fault-free run: every host as expected, exit 0, every script answered', () => {
    expect(clean.code, `${tag}: ${clean.stderr.slice(0, 500)}`).toBe(0);
    const bad = clean.report.hosts.filter((h) => h.status !== healthyStatus);
    expect(
      bad.map((h) => `${h.host} ${h.status} ${h.error ?? ''}`),
      tag,
    ).toEqual([]);
    expect(clean.mismatches, tag).toEqual([]);
  });

  it('no crash, every host once in the report, each with the status and reason its fault earns', () => {
    expect(chaos.hung, tag).toBe(false);
    expect(chaos.signal, tag).toBe(null);
    expect(chaos.stderr, tag).not.toMatch(/vprov failed unexpectedly|at .*\.(c?js|ts):\d+/);
    expect(chaos.report.hosts.map((h) => h.host).sort(), tag).toEqual([...names].sort());
    const plan = faults();
    expect(plan.size, `${tag}: faulty hosts drawn`).toBeGreaterThan(0);
    const wrong: string[] = [];
    for (const h of chaos.report.hosts) {
      const fault = plan.get(h.host);
      const want = fault ? EXPECT[fault]![command] : 'healthy';
      if (want === 'healthy') {
        if (h.status !== healthyStatus) wrong.push(`${h.host} (${fault ?? 'no fault'}): ${h.status} ${h.error ?? ''}`);
        continue;
      }
      const statuses = [want.status].flat();
      // The reason is the host's error, or (facts read but not understood) a failed resource's; a
      // host can have both (a resource unreadable, and the simulator unable to answer the rest's apply).
      const why = [h.error, ...h.resources.filter((r) => r.status === 'failed').map((r) => `${r.resource}: ${r.error}`)].filter(Boolean).join('; ');
      if (!statuses.includes(h.status) || !want.error.test(why))
        wrong.push(`${h.host} (${fault}): ${h.status}: ${why || 'no error'} — wanted ${statuses.join('|')} ${want.error}`);
      if (want.unknown && !h.resources.some((r) => r.status === 'unknown'))
        wrong.push(`${h.host} (${fault}): no resource "unknown": ${JSON.stringify(h.resources.map((r) => [r.resource, r.status]))}`);
      if (!want.unknown && h.resources.some((r) => r.status === 'changed')) wrong.push(`${h.host} (${fault}): a resource reported changed`);
    }
    expect(wrong, tag).toEqual([]);
  });

  it('exit bits: 4 for the failed hosts, nothing else', () => {
    expect(chaos.code, tag).toBe(4);
  });

  it("every host within its time limit; the run within the limits' bound", () => {
    const over = chaos.report.hosts.filter((h) => h.durationMs > TIMEOUT_S * 1000 + 1500).map((h) => `${h.host} ${h.durationMs} ms`);
    expect(over, tag).toEqual([]);
    // Faulty hosts take at most --timeout each, FORKS at a time, beside the healthy ones' work.
    const faulty = faults().size;
    const bound = 2 * clean.wallMs + Math.ceil(faulty / FORKS) * (TIMEOUT_S + 2) * 1000 + 10_000;
    expect(chaos.wallMs, `${tag}: ${chaos.wallMs} ms, bound ${bound} ms`).toBeLessThan(bound);
  });

  it("the healthy hosts' results are identical to the fault-free run's", () => {
    const plan = faults();
    const healthy = (r: Report) =>
      r.hosts.filter((h) => {
        const f = plan.get(h.host);
        return !f || EXPECT[f]![command] === 'healthy';
      });
    expect(healthy(chaos.report).map(comparable), tag).toEqual(healthy(clean.report).map(comparable));
  });
});
