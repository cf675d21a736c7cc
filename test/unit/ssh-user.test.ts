/**
 * ssh.user is held to OpenSSH's rule for remote user names (valid_ruser() in OpenSSH's misc.c):
 * a name OpenSSH refuses is bad input (file:line:field, exit 1) and no host is contacted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { sshUserProblem } from '../../src/core/ssh-user.js';
import { parseInventory } from '../../src/inventory/load.js';
import { InputError } from '../../src/core/errors.js';
import { catalog } from '../helpers/catalog.js';
import { vprov } from '../helpers/cli.js';

const inventory = (ssh: string, port = 22) => `product: storware
platforms:
  - platform: openstack
    method: SSH transfer
defaults:
  ssh: { hostKeys: off, connectTimeout: 2, ${ssh} }
hosts:
  node1: { address: 192.0.2.5, roles: [node], ssh: { host: 127.0.0.1, port: ${port} } }
`;

function inputError(text: string): InputError {
  try {
    parseInventory(text, 'site.yaml', catalog);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('accepted');
}

// What OpenSSH refuses, each with the reason the message must give.
const refused: [string, RegExp][] = [
  ['ops;id', /contains ";"/],
  ['ops$(id)', /contains "\("/],
  ['`id`', /contains "`"/],
  ["o'ps", /contains "'"/],
  ['ops|nc', /contains "\|"/],
  ['ops&', /contains "&"/],
  ['a>b', /contains ">"/],
  ['{ops}', /contains "\{"/],
  ['-oProxyCommand=id', /starts with "-"/],
  ['ops -oX', /whitespace followed by "-"/],
  ['ops\\', /ends with a backslash/],
  ['ops\nid', /control character/],
];

describe("OpenSSH's user name rule", () => {
  it.each(refused)('refuses %j', (user, why) => {
    expect(sshUserProblem(user)).toMatch(why);
  });

  it('takes what OpenSSH takes: letters, digits, . _ - @ $ \\ inside, domain users, spaces not before "-"', () => {
    for (const u of ['ops', 'svc.backup', 'ops-1', 'user@EXAMPLE.COM', 'machine$', 'DOM\\ops', 'first last', 'a-b']) expect(sshUserProblem(u)).toBeNull();
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.@$-]{0,31}$/), (u) => sshUserProblem(u) === null));
  });

  it('refuses any name with one of the shell metacharacters OpenSSH lists, wherever it is', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{0,8}$/), fc.constantFrom(...`'\`";&<>|(){}`), fc.stringMatching(/^[a-z]{0,8}$/), (a, c, b) => {
        expect(sshUserProblem(a + c + b)).toContain(JSON.stringify(c));
      }),
    );
  });
});

describe('an inventory whose ssh user OpenSSH would refuse', () => {
  it('is bad input naming file, line and field: defaults, a host, a ProxyJump hop', () => {
    expect(inputError(inventory('user: "ops;id"')).message).toMatch(
      /^site\.yaml:6: defaults\.ssh\.user: not a user name OpenSSH accepts: "ops;id" contains ";"/,
    );
    const host = inventory('user: ops').replace('port: 22 }', 'port: 22, user: "-oProxyCommand=id" }');
    expect(inputError(host).message).toMatch(/^site\.yaml:8: hosts\.node1\.ssh\.user: not a user name OpenSSH accepts: "-oProxyCommand=id" starts with "-"/);
    const jump = inventory('proxyJump: "ok@bastion,x|y@bastion2:2222"');
    expect(inputError(jump).message).toMatch(/defaults\.ssh\.proxyJump: hop "x\|y@bastion2:2222": not a user name OpenSSH accepts: "x\|y" contains "\|"/);
  });

  describe('through the CLI', () => {
    let server: Server;
    let port = 0;
    let connections = 0;
    const dir = mkdtempSync(join(tmpdir(), 'vprov-ssh-user-'));
    beforeAll(async () => {
      // Stands where the host would be: counts every connection vprov opens, answers none.
      server = createServer((s) => {
        connections++;
        s.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('plan and apply exit 1 with the reason, and no host is contacted', async () => {
      const bad = join(dir, 'bad.yaml');
      writeFileSync(bad, inventory('user: "ops;id"', port));
      for (const cmd of [['plan'], ['apply'], ['drift']]) {
        const r = await vprov(...cmd, '-i', bad);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/bad\.yaml:6: defaults\.ssh\.user: not a user name OpenSSH accepts: "ops;id" contains ";"/);
      }
      expect(connections).toBe(0);
      // The same inventory with a good name does reach the stand-in: the count above could see it.
      const good = join(dir, 'good.yaml');
      writeFileSync(good, inventory('user: ops', port));
      const r = await vprov('plan', '-i', good);
      expect(r.code, r.stdout + r.stderr).toBe(4);
      expect(connections, r.stdout + r.stderr).toBeGreaterThan(0);
    }, 60_000);
  });
});
