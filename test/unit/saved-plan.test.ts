/**
 * Saved plans without hosts: the file's schema, round trip, tamper and version checks, that no
 * secret the inventory or the environment carries reaches it, and apply FILE's refusals (a host
 * whose facts changed, naming the sections; an inventory edited since the plan, before any host).
 * Hosts are stand-ins that print recorded facts (test/golden/facts); the lab test
 * (test/integration/saved-plan.test.ts) does the same over real SSH.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convergeAll } from '../../src/app/converge-all.js';
import { PlanRecorder } from '../../src/app/saved-plan.js';
import { planFileText, readPlanFile, sha256, writePlanFile, type PlanFile } from '../../src/app/plan-file.js';
import { factsFromOutput } from '../../src/resources/facts.js';
import { InputError } from '../../src/core/errors.js';
import type { HostDesired } from '../../src/core/types.js';
import type { Connection, ExecResult } from '../../src/transport/types.js';
import { hostPrinted } from '../helpers/facts-output.js';
import { vprov } from '../helpers/cli.js';
import { vprovVersion } from '../../src/app/run-identity.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NO_SSH_CONFIG = join(ROOT, 'test/golden/no-ssh-config');
const FACTS = readFileSync(join(ROOT, 'test/golden/facts/nftables-host.txt'), 'utf8');
const VERSION = 'test-version';

/** What the facts script would print on a host (ssh prelude, sections, end marker, checksum). */
const factsOutput = (facts: string) => hostPrinted(`${facts.trimEnd()}\n@@vprov:end@@\n`, '192.0.2.200 50000 192.0.2.5 22');

/** The sudoers section as a host prints it once someone wrote /etc/sudoers.d/vprotect by hand. */
const EDITED_SUDOERS = FACTS.replace('content=absent', `content=${Buffer.from('vprotect ALL=(ALL) NOPASSWD: ALL\n').toString('base64')}`);

interface Fleet {
  connect: (d: HostDesired) => Promise<Connection>;
  connected: string[];
  /** host → scripts that were an apply (they take the apply lock) */
  applies: Map<string, number>;
}

/**
 * Hosts that print `facts` (per host, else FACTS) and answer an apply script "locked": nothing is
 * changed. `underLock`: what a host's apply script finds once it holds the lock (facts that differ
 * from the round trip's: the script prints them as stale, as the real one does).
 */
function fleet(facts: Record<string, string> = {}, underLock: Record<string, string> = {}): Fleet {
  const connected: string[] = [];
  const applies = new Map<string, number>();
  return {
    connected,
    applies,
    connect: async (d) => {
      connected.push(d.name);
      return {
        roundTrips: 1,
        close() {},
        async runScript(script: string): Promise<ExecResult> {
          if (script.includes('flock')) {
            applies.set(d.name, (applies.get(d.name) ?? 0) + 1);
            const changed = underLock[d.name];
            if (changed) return { code: 0, stdout: `@@vprov:stale@@\n${hostPrinted(`${changed.trimEnd()}\n@@vprov:end@@\n`)}`, stderr: '' };
            return { code: 0, stdout: '@@vprov:locked@@\nlocked by the test\n', stderr: '' };
          }
          return { code: 0, stdout: factsOutput(facts[d.name] ?? FACTS), stderr: '' };
        },
      };
    },
  };
}

function workDir(): string {
  return mkdtempSync(join(tmpdir(), 'vprov-saved-plan-'));
}

function writeInventory(dir: string, extra = ''): string {
  const file = join(dir, 'site.yaml');
  writeFileSync(
    file,
    `site: lab
product: storware
platforms: [{ platform: openstack, method: SSH transfer, options: { netcat: true } }]
defaults:
  ssh: { user: ops, identityFile: /keys/id_ed25519, become: true, hostKeys: strict }
  firewall: nftables
hosts:
  node1: { address: 192.0.2.5, roles: [node] }
  hv1: { address: 192.0.2.10, roles: [hypervisor] }
${extra}`,
  );
  return file;
}

const OPTIONS = { takeOver: false, removeAccounts: false, prune: [], roleMap: [], connection: 'ssh' as const };

/** plan --out, as the CLI runs it: the plan, then the file. */
async function savePlan(inventory: string, out: string, f = fleet(), becomePassword?: string) {
  const recorder = new PlanRecorder(OPTIONS, VERSION);
  const report = await convergeAll({
    inventory,
    check: true,
    command: 'plan',
    connect: f.connect,
    sshConfigFile: NO_SSH_CONFIG,
    planRecorder: recorder,
    becomePassword,
  });
  const built = recorder.build(report);
  if (!('plan' in built)) throw new Error(built.error);
  return { report, saved: writePlanFile(out, built.plan) };
}

/** apply FILE, as the CLI runs it (the plan's inventory and options). */
async function applySaved(file: string, f: Fleet) {
  const saved = readPlanFile(file, VERSION);
  return convergeAll({
    inventory: saved.plan.inventory.file,
    check: false,
    command: 'apply',
    connect: f.connect,
    sshConfigFile: NO_SSH_CONFIG,
    savedPlan: saved,
  });
}

function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('no InputError');
}

describe('the plan file', () => {
  it('round trip: written 0600, read back whole, with the facts digest the apply script checks and the changes shown', async () => {
    const dir = workDir();
    const out = join(dir, 'plan.json');
    const { report, saved } = await savePlan(writeInventory(dir), out);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const again = readPlanFile(out, VERSION);
    expect(again.plan).toEqual(saved.plan);
    expect(again.sha256).toBe(sha256(readFileSync(out)));
    expect(again.plan.hosts.map((h) => h.name).sort()).toEqual(['hv1', 'node1']);
    const node1 = again.plan.hosts.find((h) => h.name === 'node1')!;
    // The digest the apply script recomputes under the lock: the facts without the listeners probe.
    expect(node1.facts?.sha256).toBe(factsFromOutput(factsOutput(FACTS), undefined).digest);
    expect(node1.status).toBe('pending');
    expect(node1.resources.find((r) => r.resource === 'sudoers')?.changes).toEqual(
      report.hosts.find((h) => h.host === 'node1')!.resources.find((r) => r.resource === 'sudoers')?.changes,
    );
    expect(again.plan.inventory.sections['hosts.node1']).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(again.plan.catalog.files)).toEqual(['storware.yaml']);
  });

  it('an existing plan file is replaced, atomically (no temp file left)', async () => {
    const dir = workDir();
    const out = join(dir, 'plan.json');
    writeFileSync(out, 'old');
    await savePlan(writeInventory(dir), out);
    expect(readFileSync(out, 'utf8')).toMatch(/^\{/);
    expect(readFileSync(out, 'utf8')).not.toContain('old');
  });

  it('a damaged or edited file is bad input naming the file, the field and the reason', async () => {
    const dir = workDir();
    const out = join(dir, 'plan.json');
    const { saved } = await savePlan(writeInventory(dir), out);
    const text = readFileSync(out, 'utf8');

    writeFileSync(out, text.slice(0, text.length / 2));
    expect(inputError(() => readPlanFile(out, VERSION)).message).toMatch(/plan\.json: not a vprov plan file: .*cut short or damaged/);

    // An edit by hand (one more sudoers command): the checksum no longer matches.
    writeFileSync(out, text.replace('"/usr/bin/', '"/usr/bin/../../bin/sh #'));
    expect(inputError(() => readPlanFile(out, VERSION)).message).toMatch(/plan\.json: checksum: the plan file was changed after vprov wrote it/);

    // A field that is not what vprov writes (even with a checksum made to match): the schema names it.
    const bad = structuredClone(saved.plan) as Omit<PlanFile, 'checksum'> & { checksum?: string };
    delete bad.checksum;
    (bad.hosts[1]!.facts as { sha256: string }).sha256 = 'not-a-digest';
    writeFileSync(out, planFileText(bad));
    expect(inputError(() => readPlanFile(out, VERSION)).message).toMatch(/plan\.json: hosts\.1\.facts\.sha256: expected a sha256/);

    writeFileSync(out, JSON.stringify({ hello: 1 }));
    expect(inputError(() => readPlanFile(out, VERSION)).message).toMatch(/plan\.json: format: not a vprov plan file/);
  });

  it("is applied only if no one but its owner could have written it: a link, a file others can write or someone else's is refused", async () => {
    const dir = workDir();
    const out = join(dir, 'plan.json');
    const { saved } = await savePlan(writeInventory(dir), out);
    // What another user who can write the file does: its checksum is no seal, any writer recomputes it.
    const { checksum: _c, ...rest } = saved.plan;
    const widened = planFileText({ ...rest, options: { ...rest.options, takeOver: true, removeAccounts: true } });

    const open = join(dir, 'open.json');
    writeFileSync(open, widened);
    for (const mode of [0o666, 0o620, 0o602]) {
      chmodSync(open, mode);
      expect(inputError(() => readPlanFile(open, VERSION)).message).toMatch(
        /open\.json: writable by (its group|others) \(mode 0?6[0-7]{2}\): anyone who can write a plan file can change what apply does; make a new plan/,
      );
    }

    const link = join(dir, 'link.json');
    symlinkSync(out, link);
    expect(inputError(() => readPlanFile(link, VERSION)).message).toMatch(/link\.json: a symbolic link: give the plan file itself/);

    const fifo = join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    expect(inputError(() => readPlanFile(fifo, VERSION)).message).toMatch(/fifo\.json: not a regular file/);

    if (process.getuid?.() === 0) {
      const theirs = join(dir, 'theirs.json');
      writeFileSync(theirs, widened, { mode: 0o600 });
      chownSync(theirs, 65534, 65534);
      expect(inputError(() => readPlanFile(theirs, VERSION)).message).toMatch(/theirs\.json: owned by uid 65534, not by you \(uid 0\) or root/);
    }

    // The plan as vprov wrote it (0600, the user's own) still reads.
    expect(readPlanFile(out, VERSION).plan).toEqual(saved.plan);
  });

  it('a plan made by another vprov version is refused, naming both', async () => {
    const dir = workDir();
    const out = join(dir, 'plan.json');
    await savePlan(writeInventory(dir), out);
    expect(inputError(() => readPlanFile(out, '9.9.9')).message).toMatch(/made by vprov "test-version", this is vprov 9\.9\.9/);
  });

  it('holds no secret: not the sudo password, nor any password an Ansible inventory carries', async () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9_+.-]{12,40}$/).map((s) => `S3cret-${s}`);
    await fc.assert(
      fc.asyncProperty(secret, secret, secret, async (become, ssh, vault) => {
        const dir = workDir();
        mkdirSync(join(dir, 'group_vars'));
        writeFileSync(
          join(dir, 'hosts.ini'),
          `[nodes]\nnode1 ansible_host=192.0.2.5 ansible_user=ops ansible_become_password=${become} ansible_ssh_pass=${ssh}\n[hvs]\nhv1 ansible_host=192.0.2.10 ansible_password=${ssh}\n[all:vars]\nansible_become_pass=${become}\n`,
        );
        writeFileSync(join(dir, 'group_vars', 'all.yml'), `ansible_become_password: ${become}\nvault_password: ${vault}\n`);
        const inv = join(dir, 'site.yaml');
        writeFileSync(
          inv,
          `site: lab\nproduct: storware\nplatforms: [{ platform: openstack, method: SSH transfer }]\ndefaults: { ssh: { identityFile: /keys/id, become: true } }\nansible: { inventory: hosts.ini, roles: { nodes: node, hvs: hypervisor } }\n`,
        );
        const out = join(dir, 'plan.json');
        await savePlan(inv, out, fleet(), become);
        const text = readFileSync(out, 'utf8');
        for (const s of [become, ssh, vault]) {
          expect(text).not.toContain(s);
          expect(text).not.toContain(sha256(s));
          expect(text).not.toContain(Buffer.from(s).toString('base64').slice(0, 12));
        }
        expect(text).toContain('/keys/id'); // a key path is connection data, not a secret
      }),
      { numRuns: 15 },
    );
  }, 60_000);

  it('a plan that could not read every host is not saved (nothing to apply as reviewed)', async () => {
    const dir = workDir();
    const recorder = new PlanRecorder(OPTIONS, VERSION);
    const f = fleet({ hv1: 'garbage' });
    const report = await convergeAll({
      inventory: writeInventory(dir),
      check: true,
      command: 'plan',
      connect: f.connect,
      sshConfigFile: NO_SSH_CONFIG,
      planRecorder: recorder,
    });
    expect(recorder.build(report)).toEqual({ error: expect.stringMatching(/1 host\(s\) could not be planned \(hv1: failed\)/) });
  });
});

describe('the facts digest a plan saves', () => {
  it("is the apply script's: the listeners a plan also reads are left out, each section gets its own digest", () => {
    const plain = factsOutput(FACTS);
    const withListeners = factsOutput(`${FACTS.trimEnd()}\n@@vprov:listeners@@\nLISTEN 0 128 0.0.0.0:22`);
    const a = factsFromOutput(plain, undefined);
    const b = factsFromOutput(withListeners, undefined, ['listeners']);
    expect(b.digest).toBe(a.digest);
    expect(b.sectionDigests).toEqual(a.sectionDigests);
    expect(b.raw.listeners).toContain('0.0.0.0:22'); // still read, for the plan's "other access"
    expect(factsFromOutput(withListeners, undefined).digest).not.toBe(a.digest);
    expect(Object.keys(a.sectionDigests).sort()).toEqual(['account', 'firewall', 'host', 'ipstack', 'selinux', 'sudoers']);
  });

  it('is the same whichever digest is read first, however often, and in a copy or JSON of the facts (computed when first read)', () => {
    const withListeners = factsOutput(`${FACTS.trimEnd()}\n@@vprov:listeners@@\nLISTEN 0 128 0.0.0.0:22`);
    const first = factsFromOutput(withListeners, undefined, ['listeners']);
    const want = { digest: first.digest, sectionDigests: first.sectionDigests };
    const sectionsFirst = factsFromOutput(withListeners, undefined, ['listeners']);
    expect(sectionsFirst.sectionDigests).toEqual(want.sectionDigests);
    expect(sectionsFirst.digest).toBe(want.digest);
    expect(sectionsFirst.digest).toBe(want.digest);
    const copy = { ...factsFromOutput(withListeners, undefined, ['listeners']) };
    expect({ digest: copy.digest, sectionDigests: copy.sectionDigests }).toEqual(want);
    const json = JSON.parse(JSON.stringify(factsFromOutput(withListeners, undefined, ['listeners'])));
    expect({ digest: json.digest, sectionDigests: json.sectionDigests }).toEqual(want);
    expect(structuredClone(factsFromOutput(withListeners, undefined, ['listeners'])).digest).toBe(want.digest);
  });
});

describe('apply FILE', () => {
  it('a host whose facts changed since the plan is refused, naming the sections; the others go on to apply', async () => {
    const dir = workDir();
    const out = join(dir, 'plan.json');
    await savePlan(writeInventory(dir), out);
    const f = fleet({ node1: EDITED_SUDOERS });
    const report = await applySaved(out, f);
    const node1 = report.hosts.find((h) => h.host === 'node1')!;
    expect(node1.status).toBe('failed');
    expect(node1.error).toBe('facts changed since the plan: sudoers; this host is not changed: make a new plan to review its current state');
    expect(f.applies.get('node1')).toBeUndefined();
    // hv1 went on to its apply script (which the stand-in answers "locked": nothing changed anywhere)
    expect(f.applies.get('hv1')).toBe(1);
    expect(report.planFile).toEqual({ path: out, sha256: sha256(readFileSync(out)) });
  });

  it('a host that changes between the facts and the apply lock is refused (the lock re-checks the digest), never planned again', async () => {
    const dir = workDir();
    const out = join(dir, 'plan.json');
    await savePlan(writeInventory(dir), out);
    const f = fleet({}, { node1: EDITED_SUDOERS });
    const report = await applySaved(out, f);
    const node1 = report.hosts.find((h) => h.host === 'node1')!;
    expect(node1.status).toBe('failed');
    expect(node1.error).toBe(
      'facts changed since the plan: sudoers (seen under the apply lock); this host is not changed: make a new plan to review its current state',
    );
    expect(f.applies.get('node1')).toBe(1); // one apply script, no second attempt from the new facts
  });

  it('names every section that changed (firewall and sudoers)', async () => {
    const dir = workDir();
    const out = join(dir, 'plan.json');
    await savePlan(writeInventory(dir), out);
    const both = EDITED_SUDOERS.replace('persisted=absent', `persisted=${Buffer.from('table inet vprov {}\n').toString('base64')}`);
    const report = await applySaved(out, fleet({ node1: both }));
    expect(report.hosts.find((h) => h.host === 'node1')!.error).toMatch(/^facts changed since the plan: firewall, sudoers;/);
  });

  it('an inventory edited since the plan is refused before any host is contacted, naming what changed', async () => {
    const dir = workDir();
    const out = join(dir, 'plan.json');
    const inv = writeInventory(dir);
    await savePlan(inv, out);
    writeInventory(dir, 'networks: { os-agent: [10.20.1.0/24] }\n');
    const f = fleet();
    const err = await applySaved(out, f).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toBe(`${out}: the inventory ${inv} changed since the plan: networks`);
    expect(f.connected).toEqual([]);
  });

  it('a plan with nothing to change applies as a no-op', async () => {
    const dir = workDir();
    const out = join(dir, 'plan.json');
    // A host that is not vprov's to change: planned "skipped", applied "skipped", never contacted.
    const inv = join(dir, 'site.yaml');
    writeFileSync(
      inv,
      'site: lab\nproduct: storware\nplatforms: [{ platform: openstack, method: SSH transfer }]\nhosts:\n  mon1: { address: 192.0.2.20, roles: [node], managed: false }\n',
    );
    await savePlan(inv, out);
    const f = fleet();
    const report = await applySaved(out, f);
    expect(report.hosts.map((h) => h.status)).toEqual(['skipped']);
    expect(f.connected).toEqual([]);
  });
});

describe('vprov apply PLANFILE on the command line (no host is reached: each is refused first)', () => {
  async function planFile(version = vprovVersion()): Promise<string> {
    const dir = workDir();
    const out = join(dir, 'plan.json');
    const recorder = new PlanRecorder(OPTIONS, version);
    const report = await convergeAll({
      inventory: writeInventory(dir),
      check: true,
      command: 'plan',
      connect: fleet().connect,
      sshConfigFile: NO_SSH_CONFIG,
      planRecorder: recorder,
    });
    const built = recorder.build(report);
    if (!('plan' in built)) throw new Error(built.error);
    writePlanFile(out, built.plan);
    return out;
  }

  it('neither -i nor a plan file: says both ways', async () => {
    const r = await vprov('apply');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/apply needs -i INVENTORY, or a saved plan: vprov apply PLANFILE \(made by vprov plan --out PLANFILE\)/);
  });

  it('options the plan fixed, given beside it, are refused by name', async () => {
    const out = await planFile();
    const r = await vprov('apply', out, '--limit', 'node1', '--take-over', '--check');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `apply ${out}: --limit, --take-over, --check cannot be given with a plan file: the plan fixed its inventory and options when it was made (make a new plan to change them)`,
    );
  });

  it('a plan file that is not there, or from another vprov version, is exit 1 naming it (and both versions)', async () => {
    const missing = await vprov('apply', '/nonexistent/plan.json');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/\/nonexistent\/plan\.json: cannot read the plan file: ENOENT/);
    const out = await planFile('0.0.1-old');
    const r = await vprov('apply', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the plan was made by vprov "0.0.1-old", this is vprov ${vprovVersion()}`);
  });

  it('plan --out to a place that cannot be written is exit 1 before any host', async () => {
    const dir = workDir();
    const r = await vprov('plan', '-i', writeInventory(dir), '--out', '/etc/hostname/plan.json');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--out \/etc\/hostname\/plan\.json: cannot write there/);
  });
});
