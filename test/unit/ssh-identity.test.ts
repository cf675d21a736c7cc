/**
 * The user's key is parsed once per key text and signs from a KeyObject: its signatures are the
 * bytes ssh2's own parsed key gives (ed25519, RSA with each hash ssh2 may ask for; ECDSA, which
 * is randomised, verifies with ssh2's key), and a key ssh2 cannot use fails with ssh2's message.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Client, utils } from 'ssh2';
import { identityKey } from '../../src/transport/identity.js';

const gen = (type: 'ed25519' | 'rsa' | 'ecdsa', opts: Record<string, unknown> = {}) => Buffer.from(utils.generateKeyPairSync(type, opts as never).private);
const ed25519 = gen('ed25519');
const rsa = gen('rsa', { bits: 2048 });
const ecdsa = gen('ecdsa', { bits: 256 });
const ssh2Key = (data: Buffer) => utils.parseKey(data) as ReturnType<typeof identityKey> & { sign(d: Buffer, a?: string): Buffer };
const payload = fc.uint8Array({ minLength: 0, maxLength: 600 }).map((a) => Buffer.from(a));

/** What ssh2's Client.connect throws for a key text (before any socket is opened). */
function ssh2Refusal(data: Buffer): string {
  try {
    new Client().connect({ host: '127.0.0.1', port: 1, username: 'u', privateKey: data });
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('ssh2 took the key');
}

describe('the identity key', () => {
  it('signs the same bytes as ssh2 for ed25519 and RSA keys, and ECDSA signatures verify with ssh2', () => {
    const mine = { ed25519: identityKey(ed25519), rsa: identityKey(rsa), ecdsa: identityKey(ecdsa) };
    for (const k of Object.values(mine)) if (k instanceof Error) throw k;
    fc.assert(
      fc.property(payload, fc.constantFrom(undefined, 'sha1', 'sha256', 'sha512'), (data, hash) => {
        const sign = (k: ReturnType<typeof identityKey>, algo?: string) => (k as { sign(d: Buffer, a?: string): Buffer }).sign(data, algo);
        expect(sign(mine.ed25519)).toEqual(ssh2Key(ed25519).sign(data));
        expect(sign(mine.rsa, hash)).toEqual(ssh2Key(rsa).sign(data, hash));
        const sig = sign(mine.ecdsa);
        expect(Buffer.isBuffer(sig)).toBe(true);
        expect((utils.parseKey(ecdsa) as { verify(d: Buffer, s: Buffer): boolean }).verify(data, sig)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps what ssh2 authenticates with: key type, public key, a private key', () => {
    const mine = identityKey(ed25519) as Exclude<ReturnType<typeof identityKey>, Error>;
    const theirs = ssh2Key(ed25519) as Exclude<ReturnType<typeof identityKey>, Error>;
    expect(mine.type).toBe('ssh-ed25519');
    expect(mine.getPublicSSH()).toEqual(theirs.getPublicSSH());
    expect(mine.isPrivateKey()).toBe(true);
    // ssh2 takes it as a parsed key, as it is
    expect(utils.parseKey(mine)).toBe(mine);
  });

  it('parses a key text once; another text is parsed anew', () => {
    expect(identityKey(Buffer.from(ed25519))).toBe(identityKey(Buffer.from(ed25519)));
    const other = gen('ed25519');
    expect(identityKey(other)).not.toBe(identityKey(ed25519));
  });

  it("a key ssh2 cannot use fails with ssh2's own message", () => {
    for (const bad of [
      Buffer.from('not a key'),
      Buffer.from(utils.generateKeyPairSync('ed25519', { passphrase: 'secret', cipher: 'aes256-cbc', rounds: 1 } as never).private),
      Buffer.from(utils.generateKeyPairSync('ed25519').public),
    ]) {
      const key = identityKey(bad);
      expect(key).toBeInstanceOf(Error);
      expect((key as Error).message).toBe(ssh2Refusal(bad));
    }
  });
});
