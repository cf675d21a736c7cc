/**
 * What vprov does not manage on a host says "not applicable", with the reason — never "ok" or
 * "in sync"; evidence's overall verdict never hides rows it could not verify; and a flow a host
 * would need from itself is explained by the real reason (a host is never its own source).
 */
import { describe, expect, it } from 'vitest';
import { accountResource } from '../../src/resources/account.js';
import { sudoersResource } from '../../src/resources/sudoers.js';
import { compile } from '../helpers/compile.js';
import { requirementsOf } from '../../src/compile/requirements.js';
import { explain } from '../../src/compile/explain.js';
import { overallVerdict } from '../../src/app/evidence.js';
import { evidenceSchema } from '../../src/report/evidence-schema.js';
import { renderText } from '../../src/report/text.js';
import { inventoryOf } from '../helpers/catalog.js';
import { planRaw } from '../helpers/facts.js';

const host = { controllerAddress: '192.0.2.200', sshPort: 22, systemd: false };
const olvm = inventoryOf({
  product: 'olvm',
  platforms: [{ platform: 'olvm', options: { 'local-database': true } }],
  hosts: { engine: { address: '192.0.2.50', roles: ['manager'] }, kvm1: { address: '192.0.2.51', roles: ['kvm-host'] } },
});

describe('resources no role of the host needs', () => {
  const kvm1 = compile(olvm).hosts.find((h) => h.name === 'kvm1')!;

  it('account and sudoers on an OLVM KVM host are not applicable, with the reason', () => {
    expect(kvm1.account).toBeNull();
    const account = planRaw(accountResource, '', kvm1, host);
    const sudoers = planRaw(sudoersResource, '', kvm1, host);
    expect(account.status).toBe('not-applicable');
    expect(account.notes).toEqual(['not applicable: no role of this host (kvm-host) needs the service account']);
    expect(sudoers.status).toBe('not-applicable');
    expect(sudoers.notes[0]).toMatch(/^not applicable: no role of this host \(kvm-host\) needs a sudoers drop-in/);
  });

  it('plan and drift print them as not applicable, not ok / in sync', () => {
    const resources = [planRaw(accountResource, '', kvm1, host), planRaw(sudoersResource, '', kvm1, host)].map((p) => ({ ...p, status: p.status }));
    for (const command of ['plan', 'drift'] as const) {
      const text = renderText({
        command,
        site: 'test',
        inventory: 'x',
        startedAt: '',
        durationMs: 0,
        warnings: [],
        hosts: [{ host: 'kvm1', status: 'ok', managed: true, resources, rebootRequired: false, roundTrips: 1, durationMs: 1 }],
      });
      expect(text).toMatch(/^ {3}account {3}not applicable$/m);
      expect(text).toMatch(/^ {3}sudoers {3}not applicable$/m);
      expect(text).not.toMatch(/(account|sudoers) +(ok|in sync)/);
    }
  });
});

describe('the overall evidence verdict', () => {
  it.each([
    [{ notMet: 0, notVerifiable: 0 }, false, 'met'],
    [{ notMet: 0, notVerifiable: 3 }, false, 'met except 3 not verifiable'],
    [{ notMet: 1, notVerifiable: 3 }, false, 'not met'],
    [{ notMet: 0, notVerifiable: 2 }, true, 'incomplete'],
  ] as const)('%j, host failed %s → %s', (counts, failed, verdict) => {
    expect(overallVerdict(counts, failed)).toBe(verdict);
    expect(evidenceSchema.shape.verdict.safeParse(verdict).success).toBe(true);
  });
  it('the schema takes no other verdict', () => {
    for (const v of ['met except 0 not verifiable', 'met except some not verifiable', 'ok'])
      expect(evidenceSchema.shape.verdict.safeParse(v).success).toBe(false);
  });
});

describe('a flow from a role to itself', () => {
  const compiled = compile(olvm);

  it('evidence says a host is never its own source, not that no host has the role', () => {
    const { notApplied } = requirementsOf(olvm, compiled);
    const pg = notApplied.filter((n) => n.kind === 'flow' && /manager → manager/.test(n.requirement));
    expect(pg).toHaveLength(2);
    for (const n of pg) {
      expect(n.reason).toBe(
        'no source: a host is never its own source, and engine is the only host with role "manager" (its traffic to itself never crosses its input filter); no networks.manager (never widened to any)',
      );
      expect(n.reason).not.toMatch(/no host with role "manager"/);
    }
  });

  it('explain says the same', () => {
    const e = explain(olvm, compiled, { host: 'engine', port: 5432 });
    const self = e.skipped.filter((s) => s.flow.from === 'manager');
    expect(self.length).toBeGreaterThan(0);
    for (const s of self) expect(s.reason).toMatch(/^no source: a host is never its own source, and engine is the only host with role "manager"/);
  });

  it('a role with no host at all still says so', () => {
    const { notApplied } = requirementsOf(olvm, compiled);
    expect(notApplied.some((n) => /^no source: no host with role "data-warehouse" and no networks\.data-warehouse/.test(n.reason))).toBe(true);
  });
});
