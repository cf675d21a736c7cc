import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fingerprint, verifyHostKey } from '../../src/transport/known-hosts.js';
import { withEnv } from '../helpers/env.js';
import { mkdirSync } from 'node:fs';

const blob = (type: string, body: string) => {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  return Buffer.concat([len, t, Buffer.from(body)]);
};
const keyA = blob('ssh-ed25519', 'key-a');
const keyB = blob('ssh-ed25519', 'key-b');
const keyR = blob('ecdsa-sha2-nistp256', 'key-r');
const b64 = (k: Buffer) => k.toString('base64');
const hashed = (name: string, salt = Buffer.from('0123456789abcdef0123')) =>
  `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;

function files() {
  const dir = mkdtempSync(join(tmpdir(), 'vprov-kh-'));
  return { userFile: join(dir, 'user_known_hosts'), vprovFile: join(dir, 'vprov_known_hosts') };
}

describe('host keys', () => {
  it('strict refuses an unknown key and prints its fingerprint', () => {
    const v = verifyHostKey({ policy: 'strict', host: 'h1', port: 22, keyBlob: keyA, ...files() });
    expect(v.ok).toBe(false);
    expect(v.reason).toMatch(/unknown host key for h1: ssh-ed25519 SHA256:\S+/);
  });

  it('accept-new records a new host, then accepts it, and refuses a changed key', () => {
    const f = files();
    const first = verifyHostKey({ policy: 'accept-new', host: 'h1', port: 2201, keyBlob: keyA, ...f });
    expect(first).toMatchObject({ ok: true });
    expect(readFileSync(f.vprovFile, 'utf8')).toMatch(/^\[h1\]:2201 ssh-ed25519 /);
    expect(verifyHostKey({ policy: 'strict', host: 'h1', port: 2201, keyBlob: keyA, ...f }).ok).toBe(true);
    const changed = verifyHostKey({ policy: 'accept-new', host: 'h1', port: 2201, keyBlob: keyB, ...f });
    expect(changed.ok).toBe(false);
    expect(changed.reason).toMatch(/CHANGED/);
  });

  it('reads hashed entries of the user known_hosts', () => {
    const f = files();
    const salt = Buffer.from('0123456789abcdef0123');
    const hash = createHmac('sha1', salt).update('h2').digest('base64');
    writeFileSync(f.userFile, `|1|${salt.toString('base64')}|${hash} ssh-ed25519 ${keyA.toString('base64')}\n`);
    expect(verifyHostKey({ policy: 'strict', host: 'h2', port: 22, keyBlob: keyA, ...f }).ok).toBe(true);
    expect(verifyHostKey({ policy: 'strict', host: 'h2', port: 22, keyBlob: keyB, ...f }).ok).toBe(false);
  });

  it('looks every host up in a big file (parsed once) and follows edits between lookups', () => {
    const f = files();
    const lines = Array.from(
      { length: 500 },
      (_, i) => `[h${i}]:${2200 + (i % 10)},10.0.${i >> 8}.${i & 255} ssh-ed25519 ${blob('ssh-ed25519', `k${i}`).toString('base64')}\n`,
    );
    writeFileSync(f.userFile, lines.join(''));
    for (let i = 0; i < 500; i += 7) {
      expect(verifyHostKey({ policy: 'strict', host: `h${i}`, port: 2200 + (i % 10), keyBlob: blob('ssh-ed25519', `k${i}`), ...f }).ok).toBe(true);
      expect(verifyHostKey({ policy: 'strict', host: `10.0.${i >> 8}.${i & 255}`, port: 22, keyBlob: blob('ssh-ed25519', `k${i + 1}`), ...f }).reason).toMatch(
        /CHANGED/,
      );
    }
    // The entry removed by hand (ssh-keygen -R): the same file name, new contents.
    writeFileSync(f.userFile, lines.filter((_, i) => i !== 7).join(''));
    expect(verifyHostKey({ policy: 'strict', host: 'h7', port: 2207, keyBlob: blob('ssh-ed25519', 'k7'), ...f }).reason).toMatch(/unknown host key/);
    expect(verifyHostKey({ policy: 'strict', host: 'h8', port: 2208, keyBlob: blob('ssh-ed25519', 'k8'), ...f }).ok).toBe(true);
  });

  describe('@revoked', () => {
    const policies = ['strict', 'accept-new', 'off'] as const;
    // Real known_hosts text: plain, hashed and wildcard host fields, comments, other hosts' keys.
    const cases: [string, (k: Buffer) => string][] = [
      ['plain', (k) => `# revoked after the 2026 incident\n@revoked h3,10.0.0.3 ${keyTypeOf(k)} ${b64(k)} old-key\nother ssh-ed25519 ${b64(keyB)}\n`],
      ['hashed', (k) => `${hashed('other')} ssh-ed25519 ${b64(keyB)}\n@revoked ${hashed('h3')} ${keyTypeOf(k)} ${b64(k)}\n`],
      ['wildcard', (k) => `@revoked * ${keyTypeOf(k)} ${b64(k)}\n`],
    ];
    for (const [kind, text] of cases) {
      for (const policy of policies) {
        it(`refuses a key revoked by a ${kind} entry under ${policy}, with its fingerprint, and records nothing`, () => {
          const f = files();
          writeFileSync(f.userFile, text(keyR));
          const v = verifyHostKey({ policy, host: 'h3', port: 22, keyBlob: keyR, ...f });
          expect(v.ok).toBe(false);
          expect(v.recorded).toBeUndefined();
          expect(v.reason).toContain(`REVOKED (ecdsa-sha2-nistp256 ${fingerprint(keyR)}`);
          expect(existsSync(f.vprovFile)).toBe(false);
        });
      }
    }

    it('is refused even when the same key is also listed as trusted (in either file)', () => {
      const f = files();
      writeFileSync(f.userFile, `h3 ecdsa-sha2-nistp256 ${b64(keyR)}\n`);
      writeFileSync(f.vprovFile, `@revoked h3 ecdsa-sha2-nistp256 ${b64(keyR)}\n`);
      expect(verifyHostKey({ policy: 'strict', host: 'h3', port: 22, keyBlob: keyR, ...f }).reason).toMatch(/REVOKED/);
    });

    it('leaves other keys and other hosts alone', () => {
      const f = files();
      writeFileSync(f.userFile, `@revoked h3 ecdsa-sha2-nistp256 ${b64(keyR)}\nh3 ssh-ed25519 ${b64(keyA)}\n`);
      expect(verifyHostKey({ policy: 'strict', host: 'h3', port: 22, keyBlob: keyA, ...f }).ok).toBe(true);
      expect(verifyHostKey({ policy: 'accept-new', host: 'h4', port: 22, keyBlob: keyR, ...f })).toMatchObject({
        ok: true,
        recorded: expect.stringContaining('h4 ecdsa-sha2-nistp256'),
      });
      writeFileSync(f.userFile, `@revoked *,!h5 ecdsa-sha2-nistp256 ${b64(keyR)}\n`);
      expect(verifyHostKey({ policy: 'strict', host: 'h5', port: 22, keyBlob: keyR, ...f }).reason).toMatch(/unknown host key/);
    });
  });

  describe('accept-new and another key type', () => {
    for (const [kind, line] of [
      ['plain', `[h6]:2222 ssh-ed25519 ${b64(keyA)}\n`],
      ['hashed', `${hashed('[h6]:2222')} ssh-ed25519 ${b64(keyA)}\n`],
    ] as const) {
      it(`refuses a host known (${kind}) under another key type as changed, names the fix, records nothing`, () => {
        const f = files();
        writeFileSync(f.userFile, line);
        const v = verifyHostKey({ policy: 'accept-new', host: 'h6', port: 2222, keyBlob: keyR, ...f });
        expect(v.ok).toBe(false);
        expect(v.recorded).toBeUndefined();
        expect(v.reason).toContain(`CHANGED (now ecdsa-sha2-nistp256 ${fingerprint(keyR)}); refusing (known as ssh-ed25519)`);
        expect(v.reason).toContain(`ssh-keygen -R '[h6]:2222'`);
        expect(existsSync(f.vprovFile)).toBe(false);
      });
    }
  });
});

function keyTypeOf(k: Buffer): string {
  return k.subarray(4, 4 + k.readUInt32BE(0)).toString('ascii');
}

describe('ssh.knownHostsFile replaces the default files, as OpenSSH UserKnownHostsFile does', () => {
  /** A HOME whose ~/.ssh/known_hosts holds a stale key (keyB) for h9. */
  function staleHome(): string {
    const home = mkdtempSync(join(tmpdir(), 'vprov-kh-home-'));
    mkdirSync(join(home, '.ssh'));
    writeFileSync(join(home, '.ssh', 'known_hosts'), `h9 ssh-ed25519 ${b64(keyB)}\n`);
    return home;
  }

  it('a stale entry in ~/.ssh/known_hosts no longer blocks a host the given file knows', async () => {
    const home = staleHome();
    const own = join(mkdtempSync(join(tmpdir(), 'vprov-kh-')), 'known_hosts');
    writeFileSync(own, `h9 ssh-ed25519 ${b64(keyA)}\n`);
    await withEnv('HOME', home, async () => {
      expect(verifyHostKey({ policy: 'strict', host: 'h9', port: 22, keyBlob: keyA, knownHostsFile: own })).toEqual({ ok: true });
      // without it, the default file is read and its stale entry refuses the host
      expect(verifyHostKey({ policy: 'strict', host: 'h9', port: 22, keyBlob: keyA, vprovFile: join(home, 'none') }).reason).toMatch(/CHANGED/);
    });
  });

  it('accept-new records into the given file only, and strict names only that file', async () => {
    const home = staleHome();
    const own = join(mkdtempSync(join(tmpdir(), 'vprov-kh-')), 'known_hosts');
    await withEnv('HOME', home, async () => {
      const strict = verifyHostKey({ policy: 'strict', host: 'h9', port: 2209, keyBlob: keyA, knownHostsFile: own });
      expect(strict.reason).toContain(`unknown host key for [h9]:2209: ssh-ed25519`);
      expect(strict.reason).toContain(`add it to ${own} (`);
      expect(verifyHostKey({ policy: 'accept-new', host: 'h9', port: 2209, keyBlob: keyA, knownHostsFile: own }).ok).toBe(true);
    });
    expect(readFileSync(own, 'utf8')).toMatch(/^\[h9\]:2209 ssh-ed25519 /);
    expect(readFileSync(join(home, '.ssh', 'known_hosts'), 'utf8')).toBe(`h9 ssh-ed25519 ${b64(keyB)}\n`);
  });
});
