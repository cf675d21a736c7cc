/**
 * Whatever a host prints, nothing throws past that host: facts output truncated anywhere,
 * oversized, full of control characters and fake section markers, or with its JSON values
 * (nft's listing, the firewalld probe's answer) replaced by any JSON — hostile or almost
 * right — is read by every parser (facts, each resource's plan, evidence's readers and
 * verdicts, the TCP probe's results, the apply script's output) as that host's failure, a
 * failed resource, or a "not verifiable" row, never an exception of the run. The whole plan and
 * evidence runs are driven with such hosts too: every host is in the report. fast-check prints
 * the seed and the shrunk case of a failure (replay with { seed, path } in fc.assert).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../../src/catalog/load.js';
import { loadInventory } from '../../src/inventory/load.js';
import { compile } from '../helpers/compile.js';
import { convergeAll } from '../../src/app/converge-all.js';
import { collectEvidence } from '../../src/app/evidence.js';
import { factsFromOutput } from '../../src/resources/facts.js';
import { RESOURCES } from '../../src/resources/index.js';
import { planFromRaw } from '../../src/resources/plan.js';
import { probeResults } from '../../src/app/connectivity.js';
import { parseApplyOutput } from '../../src/app/apply-script.js';
import { requirementsOf } from '../../src/compile/requirements.js';
import { judge, type HostReading } from '../../src/app/evidence-verdicts.js';
import type { HostDesired } from '../../src/core/types.js';
import type { Connection, ExecResult, RunOptions } from '../../src/transport/types.js';
import { hostPrinted } from '../helpers/facts-output.js';
import { hostOutput, junkLine } from '../helpers/hostile-output.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INVENTORY = join(ROOT, 'inventories/storware-openstack.yaml');
const NO_SSH_CONFIG = join(ROOT, 'test/golden/no-ssh-config');
const inv = loadInventory(INVENTORY, loadCatalog());
const compiled = compile(inv, { resolved: new Map(), local: { user: 'ops', home: '/home/ops' } });
const managed = compiled.hosts.filter((h) => h.managed);

const hostFacts = { controllerAddress: '192.0.2.200', sshPort: 22, systemd: true, firewalldRunning: true };

describe('every parser of host output, on hostile output', () => {
  it('facts, each resource plan, evidence readers and verdicts: a failed resource or a "not verifiable" row at worst, never an exception', () => {
    const { rows } = requirementsOf(inv, compiled);
    fc.assert(
      fc.property(hostOutput, fc.constantFrom(...managed), (out, desired) => {
        const facts = factsFromOutput(out, undefined);
        for (const r of RESOURCES) {
          // parse, then plan, as converge does: a fact that does not fit fails the resource, naming it
          const plan = planFromRaw(r, facts.raw[r.kind] ?? '', desired, { ...facts.host, ...hostFacts });
          expect(['ok', 'pending', 'not-applicable', 'failed']).toContain(plan.status);
          if (plan.status === 'failed') expect(plan.error).toBeTruthy();
        }
        const readings = new Map<string, HostReading>(compiled.hosts.map((h) => [h.name, { desired: h, status: 'read', raw: facts.raw, facts: facts.host }]));
        for (const row of rows) expect(['met', 'not met', 'not applicable', 'not verifiable']).toContain(judge(row, readings, []).verdict);
      }),
      { numRuns: 300 },
    );
  });

  it("the TCP probe's results: only open, refused, filtered or unknown, whatever the host printed", () => {
    const probes = [{ from: 'a', to: 'b', address: '192.0.2.5', port: 22, flow: 'f' }];
    fc.assert(
      fc.property(fc.array(junkLine), fc.constantFrom('', '192.0.2.5 22 open', '192.0.2.5 22 <img src=x onerror=alert(1)>'), (junk, line) => {
        for (const p of probeResults(probes, [...junk, line].join('\n'))) expect(['open', 'refused', 'filtered', 'unknown']).toContain(p.result);
      }),
    );
  });

  it("the apply script's output: one of its outcomes, never an exception", () => {
    const plans = RESOURCES.map((r) => ({
      resource: r.kind,
      status: 'pending' as const,
      changes: [],
      warnings: [],
      rebootRequired: false,
      notes: [],
      script: ':',
    }));
    fc.assert(
      fc.property(fc.array(junkLine, { maxLength: 30 }), (lines) => {
        expect(['locked', 'stale', 'done', 'not-started', 'unfinished']).toContain(parseApplyOutput(lines.join('\n'), plans).kind);
      }),
    );
  });
});

/**
 * A fleet where each host answers with its own hostile output: no SSH. Each output carries its
 * checksum, as a hostile host can print one: the parsers behind the integrity check are driven.
 */
function hostileFleet(outputs: readonly string[]) {
  return async (d: HostDesired): Promise<Connection> => {
    const i = managed.findIndex((h) => h.name === d.name);
    const out = outputs[i % outputs.length]!;
    const at = out.indexOf('@@vprov:host@@');
    return {
      roundTrips: 1,
      close() {},
      async runScript(_script: string, _opts?: RunOptions): Promise<ExecResult> {
        return { code: 0, stdout: hostPrinted(at < 0 ? out : out.slice(at), '192.0.2.200 50000 192.0.2.1 22'), stderr: '' };
      },
    };
  };
}

describe('whole runs against hosts that print hostile output', () => {
  it('plan and evidence: every host in the report, none throws past its host', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostOutput, { minLength: 1, maxLength: managed.length }), async (outputs) => {
        const plan = await convergeAll({
          inventory: INVENTORY,
          check: true,
          command: 'plan',
          connect: hostileFleet(outputs),
          sshConfigFile: NO_SSH_CONFIG,
          forks: 2,
        });
        expect(plan.hosts.map((h) => h.host).sort()).toEqual(compiled.hosts.map((h) => h.name).sort());
        for (const h of plan.hosts) if (h.status === 'failed') expect(h.error ?? h.resources.find((r) => r.error)?.error).toBeTruthy();
        const evidence = await collectEvidence({ inventory: INVENTORY, connect: hostileFleet(outputs), sshConfigFile: NO_SSH_CONFIG, forks: 2 });
        expect(evidence.hosts.map((h) => h.host).sort()).toEqual(compiled.hosts.map((h) => h.name).sort());
        expect(evidence.requirements.length).toBeGreaterThan(0);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
