import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { verifyHostKey } from '../../src/transport/known-hosts.js';

const blob = (type: string, body: string) => {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  return Buffer.concat([len, t, Buffer.from(body)]);
};
const keyA = blob('ssh-ed25519', 'key-a');
const keyB = blob('ssh-ed25519', 'key-b');

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
    const lines = Array.from({ length: 500 }, (_, i) => `[h${i}]:${2200 + (i % 10)},10.0.${i >> 8}.${i & 255} ssh-ed25519 ${blob('ssh-ed25519', `k${i}`).toString('base64')}\n`);
    writeFileSync(f.userFile, lines.join(''));
    for (let i = 0; i < 500; i += 7) {
      expect(verifyHostKey({ policy: 'strict', host: `h${i}`, port: 2200 + (i % 10), keyBlob: blob('ssh-ed25519', `k${i}`), ...f }).ok).toBe(true);
      expect(verifyHostKey({ policy: 'strict', host: `10.0.${i >> 8}.${i & 255}`, port: 22, keyBlob: blob('ssh-ed25519', `k${i + 1}`), ...f }).reason).toMatch(/CHANGED/);
    }
    // The entry removed by hand (ssh-keygen -R): the same file name, new contents.
    writeFileSync(f.userFile, lines.filter((_, i) => i !== 7).join(''));
    expect(verifyHostKey({ policy: 'strict', host: 'h7', port: 2207, keyBlob: blob('ssh-ed25519', 'k7'), ...f }).reason).toMatch(/unknown host key/);
    expect(verifyHostKey({ policy: 'strict', host: 'h8', port: 2208, keyBlob: blob('ssh-ed25519', 'k8'), ...f }).ok).toBe(true);
  });
});
