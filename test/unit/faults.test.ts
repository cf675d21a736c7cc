/** Pure pieces of fault handling: mismatch messages, retries, the apply script's contract, audit lines, recap. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HandshakeLists, explainMismatch } from '../../src/transport/ssh-algorithms.js';
import { isThrottling, Slots, withRetry } from '../../src/transport/retry.js';
import { applyScript, parseApplyOutput } from '../../src/app/apply-script.js';
import { emptyPlan, type ResourcePlan } from '../../src/resources/types.js';
import { runTemp, writeFileToWord } from '../../src/resources/shell.js';
import { factsDamage } from '../../src/resources/facts-integrity.js';
import { auditLines } from '../../src/app/audit-log.js';
import { recap } from '../../src/report/text.js';
import type { RunReport } from '../../src/core/report.js';

describe('algorithm mismatch messages', () => {
  it('names what the server offered, what vprov supports and the sshd setting, from ssh2 debug lines', () => {
    const lists = new HandshakeLists();
    lists.debug('Handshake: (local) KEX method: curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ext-info-c,kex-strict-c-v00@openssh.com');
    lists.debug('Handshake: (remote) KEX method: sntrup761x25519-sha512@openssh.com,kex-strict-s-v00@openssh.com');
    lists.debug('Outbound: Sending KEXINIT');
    expect(lists.explain('Handshake failed: no matching key exchange algorithm')).toBe(
      'no common key exchange algorithm: the server offers sntrup761x25519-sha512@openssh.com; vprov supports curve25519-sha256, curve25519-sha256@libssh.org, ecdh-sha2-nistp256. ' +
        "vprov (ssh2) has no post-quantum key exchange (sntrup761, mlkem768) yet. Add one of vprov's to the server's KexAlgorithms (e.g. KexAlgorithms +curve25519-sha256).",
    );
    expect(lists.explain('connect ECONNREFUSED 10.0.0.1:22')).toBeUndefined();
  });

  it.each([
    ['Handshake failed: no matching host key format', 'Host key format', 'host key algorithm', 'HostKeyAlgorithms'],
    ['Handshake failed: no matching C->S cipher', 'C->S cipher', 'cipher', 'Ciphers'],
    ['Handshake failed: no matching S->C MAC', 'S->C MAC', 'MAC', 'MACs'],
  ])('%s', (error, debugName, title, setting) => {
    const lists = new HandshakeLists();
    lists.debug(`Handshake: (local) ${debugName}: ours-1,ours-2`);
    lists.debug(`Handshake: (remote) ${debugName}: theirs-1`);
    expect(lists.explain(error)).toBe(
      `no common ${title}: the server offers theirs-1; vprov supports ours-1, ours-2. Add one of vprov's to the server's ${setting} (e.g. ${setting} +ours-1).`,
    );
  });

  it('says post-quantum only when the server offers nothing else', () => {
    expect(
      explainMismatch('key exchange algorithm', 'KexAlgorithms', { local: ['a'], remote: ['mlkem768x25519-sha256', 'diffie-hellman-group1-sha1'] }),
    ).not.toMatch(/post-quantum/);
  });
});

describe('set-up retries', () => {
  it('retries throttling errors with backoff and gives up after the limit; other errors at once', async () => {
    let n = 0;
    const throttled = () => Promise.reject(Object.assign(new Error('Connection lost before handshake'), { n: ++n }));
    await expect(withRetry(throttled, { attempts: 3, baseDelayMs: 1 })).rejects.toThrow(/lost before handshake/);
    expect(n).toBe(3);
    n = 0;
    await expect(withRetry(() => Promise.reject(new Error(`auth failed ${++n}`)), { attempts: 3, baseDelayMs: 1 })).rejects.toThrow(/auth failed 1/);
    let k = 0;
    expect(await withRetry(async () => (++k < 3 ? Promise.reject(new Error('read ECONNRESET')) : 'ok'), { attempts: 5, baseDelayMs: 1 })).toBe('ok');
    expect(isThrottling(new Error('All configured authentication methods failed'))).toBe(false);
  });

  it('slots: never more holders than the bound, every waiter served', async () => {
    // generated cases: bounds 1..4, up to 20 holders with random hold times
    for (let run = 0; run < 30; run++) {
      const size = 1 + (run % 4);
      const delays = Array.from({ length: 1 + Math.floor(Math.random() * 20) }, () => Math.floor(Math.random() * 4));
      const slots = new Slots(size);
      let active = 0;
      let peak = 0;
      await Promise.all(
        delays.map(async (d) => {
          const release = await slots.acquire();
          peak = Math.max(peak, ++active);
          await new Promise((r) => setTimeout(r, d));
          active--;
          release();
          release(); // twice is harmless
        }),
      );
      expect(peak).toBeLessThanOrEqual(size);
    }
  });
});

function pending(resource: ResourcePlan['resource'], script: string): ResourcePlan {
  return { ...emptyPlan(resource, 'pending'), changes: [`~ ${resource}`], script };
}

/** Run a generated apply script with sh in a scratch directory standing in for the host. */
function runLocally(script: string, dir: string): string {
  const patched = script
    .replaceAll('/run/vprov', join(dir, 'run'))
    .replaceAll('/var/lib/vprov', join(dir, 'lib'))
    .replace(/find \/etc /, `find ${dir} `);
  return execFileSync('/bin/sh', ['-s'], { input: patched, encoding: 'utf8' });
}

describe('the apply script', () => {
  const base = { runId: 'abc123', owner: 'ctl/1 (me, run abc123) since now', lockWaitSeconds: 1, record: { runId: 'abc123', note: "100% it's \\ fine" } };
  const facts = 'echo "@@vprov:host@@"; echo x=1';
  const digest = (text: string) => execFileSync('/bin/sh', ['-c', `printf '%s' "$(${text})" | sha256sum | cut -c1-64`], { encoding: 'utf8' }).trim();

  it('applies under the lock when the facts still hold, records results atomically, sweeps its temp files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-apply-'));
    const target = join(dir, 'file');
    const plans = [
      pending('account', `${writeFileToWord(runTemp(target), 'new\n')}\nmv -f ${runTemp(target)} '${target}'`),
      pending('sudoers', `${writeFileToWord(runTemp(`${dir}/other`), 'x')}\necho refused >&2; exit 3`),
    ];
    const out = runLocally(applyScript(plans, { ...base, factsScript: facts, factsDigest: digest(facts) }), dir);
    const outcome = parseApplyOutput(out, plans);
    expect(outcome).toEqual({
      kind: 'done',
      results: new Map([
        ['account', { rc: '0', output: '' }],
        ['sudoers', { rc: '3', output: 'refused' }],
      ]),
    });
    expect(readFileSync(target, 'utf8')).toBe('new\n');
    expect(readdirSync(dir).filter((f) => f.includes('vprov-new'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'lib', 'last-apply.json'), 'utf8'))).toEqual({ ...base.record, results: { account: 0, sudoers: 3 } });
  });

  it('prints the facts again after its changes, still under the lock, apart from the resources’ results', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-apply-'));
    const state = join(dir, 'state');
    // what a facts script reads, and whether the apply lock is free while it runs
    const probe = `echo '@@vprov:host@@'; echo "state=$(cat '${state}' 2>/dev/null || echo none)"; if flock -n ${dir}/run/lock true; then echo lock=free; else echo lock=held; fi; echo '@@vprov:end@@'`;
    const before = execFileSync('/bin/sh', ['-c', `mkdir -p ${dir}/run; ${probe}`], { encoding: 'utf8' });
    expect(before).toContain('lock=free');
    const plans = [pending('account', `echo changed > '${state}'; echo did it`), pending('sudoers', 'echo no >&2; exit 3')];
    const script = applyScript(plans, { ...base, verifyScript: probe, factsScript: probe, factsDigest: digest(probe.replace('lock=free', 'lock=held')) });
    const out = runLocally(script, dir);
    expect(parseApplyOutput(out, plans)).toEqual({
      kind: 'done',
      results: new Map([
        ['account', { rc: '0', output: 'did it' }],
        ['sudoers', { rc: '3', output: 'no' }],
      ]),
      verifyFacts: '@@vprov:host@@\nstate=changed\nlock=held\n@@vprov:end@@\n',
    });
    // without verify, nothing after the end marker
    const plain = runLocally(applyScript(plans, { ...base, factsScript: probe, factsDigest: digest(probe.replace('lock=free', 'lock=held')) }), dir);
    expect(plain.endsWith('@@vprov:end@@\n')).toBe(true);
    expect(parseApplyOutput(plain, plans)).not.toHaveProperty('verifyFacts');
  });

  it('a verify section cut short is handed over as it came (the controller reads the facts anew)', () => {
    const plans = [pending('account', 'true')];
    const out = '@@vprov:apply-account@@\nrc=0\n@@vprov:end@@\n@@vprov:verify@@\n@@vprov:host@@\nx=1\n';
    expect(parseApplyOutput(out, plans)).toEqual({
      kind: 'done',
      results: new Map([['account', { rc: '0', output: '' }]]),
      verifyFacts: '@@vprov:host@@\nx=1\n',
    });
  });

  it('changes nothing and prints fresh facts when the host changed since the plan', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-apply-'));
    const plans = [pending('account', `touch '${dir}/touched'`)];
    const out = runLocally(applyScript(plans, { ...base, factsScript: facts, factsDigest: '0'.repeat(64) }), dir);
    // sealed as the facts script seals its output: the controller checks it whole (facts-integrity.ts)
    const sum = createHash('sha256').update('@@vprov:host@@\nx=1').digest('hex');
    expect(parseApplyOutput(out, plans)).toEqual({ kind: 'stale', facts: `@@vprov:host@@\nx=1\n@@vprov:sum@@\n${sum}  -\n` });
    expect(factsDamage((parseApplyOutput(out, plans) as { facts: string }).facts, false)).toBeUndefined();
    expect(readdirSync(dir)).not.toContain('touched');
  });

  it('gives up after the lock wait, naming the holder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-apply-'));
    const plans = [pending('account', `touch '${dir}/touched'`)];
    execFileSync('/bin/sh', ['-c', `mkdir -p ${dir}/run && echo 'other/7 since then' > ${dir}/run/lock.owner`]);
    const holder = execFileSync('/bin/sh', ['-c', `flock ${dir}/run/lock sleep 4 >/dev/null 2>&1 & echo $!`], { encoding: 'utf8' });
    try {
      const out = runLocally(applyScript(plans, { ...base, factsScript: facts, factsDigest: digest(facts) }), dir);
      expect(parseApplyOutput(out, plans)).toEqual({
        kind: 'locked',
        message: `locked by other/7 since then (waited 1 s for /run/vprov/lock)`.replace('/run/vprov', `${dir}/run`),
      });
      expect(readdirSync(dir)).not.toContain('touched');
    } finally {
      process.kill(Number(holder.trim()));
    }
  });

  it('an output cut short is "unfinished" once a resource started, "not-started" before', () => {
    const plans = [pending('account', 'true')];
    const started = '@@vprov:apply-account@@\npartial';
    expect(parseApplyOutput(started, plans).kind).toBe('unfinished');
    expect(parseApplyOutput('', plans).kind).toBe('not-started');
  });

  it('a failed write leaves no partial temp file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-write-'));
    const word = runTemp(`${dir}/missing-dir/file`);
    expect(() => execFileSync('/bin/sh', ['-c', `${writeFileToWord(word, 'x')}`], { stdio: 'pipe' })).toThrow();
    writeFileSync(join(dir, 'keep'), 'old');
    expect(readdirSync(dir)).toEqual(['keep']);
  });
});

function report(hosts: RunReport['hosts']): RunReport {
  return { command: 'apply', site: 'inv', inventory: 'inv.yaml', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1000, warnings: [], hosts };
}

describe('recap and audit', () => {
  const failedEarly = {
    host: 'h1',
    status: 'failed' as const,
    managed: true,
    resources: [],
    error: 'sudo refused',
    rebootRequired: false,
    roundTrips: 1,
    durationMs: 5,
  };
  const changed = {
    host: 'h2',
    status: 'changed' as const,
    managed: true,
    resources: [{ resource: 'account' as const, status: 'changed' as const, changes: ['+ user vprotect'], warnings: [], notes: [], rebootRequired: false }],
    rebootRequired: false,
    roundTrips: 3,
    durationMs: 5,
  };

  it('a host that failed before facts counts failed=1 in its own line', () => {
    const lines = recap(report([failedEarly, changed]));
    expect(lines.find((l) => l.startsWith('h1'))).toMatch(/failed=1 unreachable=0/);
    expect(lines.find((l) => l.startsWith('h2'))).toMatch(/changed=1 pending=0 failed=0/);
  });

  it('one audit line per host with who, what changed and the result', () => {
    const run = { runId: 'r1', controller: 'ctl', user: 'me', pid: 1, version: '0.1.0', startedAt: 'x', command: 'apply' };
    const lines = auditLines(report([failedEarly, changed]), run).map((l) => JSON.parse(l));
    expect(lines).toEqual([
      expect.objectContaining({
        host: 'h1',
        result: 'failed',
        error: 'sudo refused',
        changed: {},
        controller: 'ctl',
        user: 'me',
        vprovVersion: '0.1.0',
        runId: 'r1',
      }),
      expect.objectContaining({ host: 'h2', result: 'changed', changed: { account: ['+ user vprotect'] }, time: '2026-01-01T00:00:01.000Z' }),
    ]);
  });
});
