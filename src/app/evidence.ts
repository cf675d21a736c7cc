/**
 * `vprov evidence`: every requirement of one deployment proven on its host. Read-only by
 * construction: each managed host gets exactly one script — the resources' fact probes (the
 * sudoers one includes what `sudo -l -U` grants) and TCP connects to the ports its flows open
 * elsewhere — and nothing that writes is ever built here.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { hostname } from 'node:os';
import { localUserName } from './local-user.js';
import { describeError, HostError, UnreachableError } from '../core/errors.js';
import { EXIT_HOST_FAILED, EXIT_OK, EXIT_PENDING } from '../core/exit.js';
import type { HostDesired } from '../core/types.js';
import type { Probe } from '../core/report.js';
import type { Connection } from '../transport/types.js';
import { requirementsOf } from '../compile/requirements.js';
import { resourcesFor } from '../resources/registry.js';
import { foreignOf, LISTENERS_SCRIPT, LISTENERS_SECTION } from '../resources/foreign.js';
import { gatherFacts, type ExtraFacts } from '../resources/facts.js';
import { backendOf } from '../resources/firewall.js';
import type { EvidenceReport } from '../report/evidence-schema.js';
import { connector, prepareRun, type ConvergeAllOptions, type RunInput } from './converge-all.js';
import { probeResults, probeScript, probesFor } from './connectivity.js';
import { judge, PROBE_SECTION, type HostReading } from './evidence-verdicts.js';
import { notStartedError, whenStoppedNow } from './interrupt.js';
import { forEachHost } from './runner.js';

export type EvidenceOptions = RunInput & Pick<ConvergeAllOptions, 'forks' | 'connection' | 'becomePassword' | 'connect' | 'hostTimeoutMs' | 'interrupt'>;

export async function collectEvidence(opts: EvidenceOptions): Promise<EvidenceReport> {
  const started = Date.now();
  const warnings: string[] = [];
  const { inv, compiled } = await prepareRun({ ...opts, onWarning: (m) => (warnings.push(m), opts.onWarning?.(m)) });
  const { rows, notApplied } = requirementsOf(inv, compiled);
  const managed = new Set(compiled.hosts.filter((h) => h.managed).map((h) => h.name));
  const probes = probesFor(compiled, managed);
  const connect = connector(opts);

  const readings = new Map<string, HostReading>();
  const probed: Probe[] = [];
  const interrupt = opts.interrupt;
  // The operator's interrupt, as for plan/apply/drift: no host starts after it, those in flight are stopped at stopNow.
  const { results, interrupted } = await forEachHost(
    compiled.hosts,
    opts.forks ?? 25,
    (h) =>
      readHost(
        h,
        probes.filter((p) => p.from === h.name),
        connect,
        opts.hostTimeoutMs,
        interrupt?.stopNow,
      ),
    interrupt,
    (h) =>
      unread(
        h,
        probes.filter((p) => p.from === h.name),
        h.managed ? new HostError(notStartedError(interrupt?.signal)) : undefined,
      ),
  );
  const roundTrips = new Map<string, number>();
  for (const [i, r] of results.entries()) {
    readings.set(compiled.hosts[i]!.name, r.reading);
    probed.push(...r.probes);
    roundTrips.set(compiled.hosts[i]!.name, r.roundTrips);
  }

  const requirements = rows.map((row) => judge(row, readings, probed));
  const count = (v: string) => requirements.filter((r) => r.verdict === v).length;
  const counts = { met: count('met'), notMet: count('not met'), notApplicable: count('not applicable'), notVerifiable: count('not verifiable') };
  const failed = [...readings.values()].some((r) => r.status === 'unreachable' || r.status === 'failed');
  const exitCode = (counts.notMet > 0 ? EXIT_PENDING : EXIT_OK) | (failed || interrupted ? EXIT_HOST_FAILED : EXIT_OK);
  const catalogs = inv.products.map(({ product }) => ({
    id: product.id,
    title: product.title,
    catalog: { file: basename(product.file), sha256: createHash('sha256').update(readFileSync(product.file)).digest('hex') },
  }));
  const titles = Object.assign({}, ...inv.products.map((sp) => sp.product.documents)) as Record<string, string>;
  const cited = new Set([...requirements.flatMap((r) => r.documents), ...notApplied.flatMap((n) => n.documents)]);
  return {
    version: 1,
    kind: 'evidence',
    exitCode,
    verdict: overallVerdict(counts, failed || interrupted !== undefined),
    counts,
    inventory: opts.inventory,
    site: inv.site,
    // A site of several products names each; product and catalog stay the first one's (readers of one-product reports).
    product:
      inv.products.length === 1
        ? { id: catalogs[0]!.id, title: catalogs[0]!.title }
        : { id: catalogs.map((c) => c.id).join('+'), title: catalogs.map((c) => c.title).join(' + ') },
    catalog: catalogs[0]!.catalog,
    ...(inv.products.length > 1 ? { products: catalogs } : {}),
    controller: { host: hostname(), user: localUserName() },
    generatedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    platforms: inv.products.flatMap((sp) =>
      sp.platforms.map((p) => ({
        platform: sp.prefix + p.platform,
        method: p.method ?? null,
        options: Object.keys(p.options)
          .filter((o) => p.options[o] === true)
          .sort(),
      })),
    ),
    documents: [...cited].sort().map((file) => ({ file, title: titles[file] ?? (file.startsWith('site: ') ? "the site's own flow, in the inventory" : file) })),
    hosts: compiled.hosts.map((h) => {
      const r = readings.get(h.name)!;
      return {
        host: h.name,
        address: h.address,
        roles: h.roles,
        managed: h.managed,
        status: r.status,
        ...(r.raw ? { firewall: backendOf(h, r.raw.firewall ?? '') } : {}),
        ...(r.error ? { error: r.error } : {}),
        ...(r.owner ? { owner: r.owner } : {}),
        ...(r.raw && r.facts ? { foreign: foreignOf(r.raw, r.facts, h) } : {}),
        roundTrips: roundTrips.get(h.name) ?? 0,
      };
    }),
    requirements,
    notApplied,
    warnings,
    ...(interrupted ? { interrupted } : {}),
  };
}

/** One connection, one script: the resources' facts (sudo -l -U among them) and this host's probes to others. */
async function readHost(
  desired: HostDesired,
  probes: Omit<Probe, 'result'>[],
  connect: (d: HostDesired) => Promise<Connection>,
  timeoutMs: number | undefined,
  stopNow: AbortSignal | undefined,
): Promise<HostResult> {
  if (!desired.managed) return unread(desired, probes);
  // What else is open: the listening sockets, in the same script.
  const extra: ExtraFacts[] = [{ name: LISTENERS_SECTION, script: LISTENERS_SCRIPT }];
  if (probes.length > 0) extra.push({ name: PROBE_SECTION, script: probeScript(probes) });
  let conn: Connection | undefined;
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  let stopListening: (() => void) | undefined;
  try {
    const work = (async () => {
      const c = await connect(desired);
      // A connection that arrives after the deadline is closed at once, never left open.
      if (timedOut) c.close();
      else conn = c;
      return gatherFacts(c, resourcesFor(desired), desired, extra);
    })();
    const limit = new Promise<never>((_, reject) => {
      if (timeoutMs) {
        timer = setTimeout(() => {
          timedOut = true;
          reject(new Error(`timed out after ${Math.round(timeoutMs / 1000)} s (--timeout)`));
        }, timeoutMs);
      }
    });
    // Interrupted (a second signal, or the grace period over): stopped like a host out of time.
    const stopped = new Promise<never>((_, reject) => {
      stopListening = whenStoppedNow(stopNow, (why) => {
        timedOut = true;
        reject(new HostError(`${why} while ${conn ? 'reading facts' : 'connecting'}; connection closed, nothing changed`));
      });
    });
    const { raw, host, record } = await Promise.race([work, limit, stopped]);
    const owner = record.state === 'present' ? record.record.site : undefined;
    return {
      reading: { desired, status: 'read', raw, facts: host, ...(owner ? { owner } : {}) },
      probes: probeResults(probes, raw[PROBE_SECTION] ?? ''),
      roundTrips: conn!.roundTrips,
    };
  } catch (err) {
    return { ...unread(desired, probes, err), roundTrips: conn?.roundTrips ?? 0 };
  } finally {
    clearTimeout(timer);
    stopListening?.();
    conn?.close();
  }
}

type HostResult = { reading: HostReading; probes: Probe[]; roundTrips: number };

/** A host not read: not managed (no error), or failed / unreachable with why; its probes unknown. */
function unread(desired: HostDesired, probes: Omit<Probe, 'result'>[], err?: unknown): HostResult {
  if (err === undefined) return { reading: { desired, status: 'not managed' }, probes: [], roundTrips: 0 };
  const status = err instanceof UnreachableError ? 'unreachable' : 'failed';
  const error = describeError(err);
  return {
    reading: { desired, status, error },
    probes: probes.map((p) => ({ ...p, result: 'unknown' as const, detail: `${desired.name} ${status}: ${error}` })),
    roundTrips: 0,
  };
}

/**
 * "met" only when every applicable requirement was proven; rows that could not be verified
 * (unmanaged hosts, probes that could not run) are counted in the verdict, never hidden in it.
 */
export function overallVerdict(counts: { notMet: number; notVerifiable: number }, failed: boolean): EvidenceReport['verdict'] {
  if (counts.notMet > 0) return 'not met';
  if (failed) return 'incomplete';
  return counts.notVerifiable > 0 ? `met except ${counts.notVerifiable} not verifiable` : 'met';
}
