/**
 * The user's private key (ssh.identityFile), parsed once per key text and signing from a crypto
 * KeyObject. Given the key's text, ssh2 parses it again on every connection and signs from its
 * PEM text, which OpenSSL decodes again for every signature: ~0.4 ms of controller CPU per host
 * for an ed25519 key, ten times the signature itself. The signatures are the same bytes.
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
// ssh2 is CommonJS: Node's ESM loader (dist/, run without the bundle) finds no named `utils` export.
import ssh2, { type ParsedKey } from 'ssh2';

/** The hash ssh2 signs with when the protocol names none (its keys' default), by key type. */
const DEFAULT_HASH: Record<string, string | null> = {
  'ssh-ed25519': null,
  'ssh-rsa': 'sha1',
  'ecdsa-sha2-nistp256': 'sha256',
  'ecdsa-sha2-nistp384': 'sha384',
  'ecdsa-sha2-nistp521': 'sha512',
};

/** Keys by their file's text (a run uses one or a few): an edited file is parsed anew. */
const keys = new Map<string, ParsedKey | Error>();
const KEPT = 16;

/** The key in `data` for ssh2's publickey authentication, or the error ssh2 would have thrown for it. */
export function identityKey(data: Buffer): ParsedKey | Error {
  const text = data.toString('utf8');
  let key = keys.get(text);
  if (key === undefined) {
    key = load(data);
    if (keys.size >= KEPT) keys.clear();
    keys.set(text, key);
  }
  return key;
}

function load(data: Buffer): ParsedKey | Error {
  // ssh2's own checks and messages (Client.connect with privateKey)
  const parsed = ssh2.utils.parseKey(data) as ParsedKey | ParsedKey[] | Error;
  if (parsed instanceof Error) return new Error(`Cannot parse privateKey: ${parsed.message}`);
  const key = Array.isArray(parsed) ? parsed[0]! : parsed;
  const pem = key.getPrivatePEM() as string | null;
  if (pem === null) return new Error('privateKey value does not contain a (valid) private key');
  const hash = DEFAULT_HASH[key.type];
  if (hash === undefined) return key;
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey(pem);
  } catch {
    return key; // ssh2 signs from the PEM as it always did
  }
  // Everything else (type, public blob, checks) is ssh2's parsed key, through the prototype.
  return Object.create(key, {
    sign: {
      value: (payload: Buffer | string, algo?: string): Buffer | Error => {
        try {
          return sign(algo || hash, typeof payload === 'string' ? Buffer.from(payload) : payload, keyObject);
        } catch (err) {
          return err as Error; // as ssh2's sign: returned, not thrown
        }
      },
    },
  }) as ParsedKey;
}
