/**
 * What vprov's SSH set-up asks of a host, read from that host's own sshd debug log: no "none"
 * authentication probe and no proof of the host keys OpenSSH announces after login (each proof
 * costs the host a signature per host key, RSA-3072 among them). The same log read after a
 * plain ssh2 client shows both requests, so the check can fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'ssh2';
import { startLab, type Lab } from '../lab/hosts.js';
import { withEnv } from '../helpers/env.js';
import { connectSsh } from '../../src/transport/ssh.js';
import type { SshTarget } from '../../src/core/types.js';

let lab: Lab;
const PORT = 2222;
const LOG = '/tmp/sshd-debug.log';

beforeAll(async () => {
  lab = await startLab([{ name: 'h1' }]);
  // A second sshd on the container's bridge address, logging each session's requests.
  const started = await lab.exec('h1', `/usr/sbin/sshd -p ${PORT} -o LogLevel=DEBUG1 -E ${LOG} && echo started`);
  expect(started.stdout.trim(), started.stderr).toBe('started');
});
afterAll(async () => {
  await lab?.stop();
});

/** The sshd log's lines about authentication requests and global requests, then emptied. */
async function requestsLogged(): Promise<string[]> {
  const r = await lab.exec('h1', `cat ${LOG} && : > ${LOG}`);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => /userauth-request|server_input_global_request/.test(l));
}

/** Wait for the log to show the session's end: sshd writes it after the client has gone. */
async function untilClosed(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await lab.exec('h1', `grep -c 'PAM: closing session' ${LOG} || true`);
    if (Number(r.stdout.trim()) > 0) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`sshd never logged the session's end in ${LOG}`);
}

function target(identityFile: string | undefined): SshTarget {
  return {
    host: lab.host('h1').address,
    port: PORT,
    user: 'ops',
    ...(identityFile ? { identityFile } : {}),
    become: true,
    hostKeys: 'accept-new',
    knownHostsFile: join(lab.dir, 'handshake-known-hosts'),
    connectTimeoutMs: 30_000,
    commandTimeoutMs: 60_000,
  };
}

/** Run `fn` with SSH_AUTH_SOCK as given (undefined: unset), restoring it after. */
const withAgentSocket = <T>(sock: string | undefined, fn: () => Promise<T>) => withEnv('SSH_AUTH_SOCK', sock, fn);

describe('SSH set-up requests', () => {
  it('vprov authenticates with its key directly and does not ask the host to prove its other host keys', async () => {
    const conn = await withAgentSocket(undefined, () => connectSsh(target(lab.keyFile)));
    const r = await conn.runScript('id -u');
    expect(r.stdout.trim()).toBe('0');
    conn.close();
    await untilClosed();
    const lines = await requestsLogged();
    expect(
      lines.some((l) => /method publickey/.test(l)),
      lines.join('\n'),
    ).toBe(true); // the log is read
    expect(lines.filter((l) => /method none/.test(l))).toEqual([]);
    expect(lines.filter((l) => /hostkeys-prove/.test(l))).toEqual([]);
    expect(readFileSync(join(lab.dir, 'handshake-known-hosts'), 'utf8')).toMatch(/ssh-ed25519 AAAA/);
  });

  it('with only an agent (no identity file) vprov authenticates through it, again without the "none" probe', async () => {
    const agentDir = join(lab.dir, 'agent');
    execFileSync('mkdir', ['-p', agentDir]);
    const sock = join(agentDir, 'sock');
    const agent = execFileSync('ssh-agent', ['-a', sock, '-s'], { encoding: 'utf8' });
    const pid = /SSH_AGENT_PID=(\d+)/.exec(agent)?.[1];
    try {
      execFileSync('ssh-add', [lab.keyFile], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'pipe' });
      const conn = await withAgentSocket(sock, () => connectSsh(target(undefined)));
      expect((await conn.runScript('id -u')).stdout.trim()).toBe('0');
      conn.close();
      await untilClosed();
      const lines = await requestsLogged();
      expect(
        lines.some((l) => /method publickey/.test(l)),
        lines.join('\n'),
      ).toBe(true);
      expect(lines.filter((l) => /method none/.test(l))).toEqual([]);
    } finally {
      if (pid) process.kill(Number(pid));
    }
  });

  it('a key the host does not accept, or no key and no agent at all: "authentication failed", nothing run', async () => {
    const other = join(lab.dir, 'other_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    for (const identity of [other, undefined]) {
      const err = await withAgentSocket(undefined, () => connectSsh(target(identity))).then(
        () => new Error('connected'),
        (e: Error) => e,
      );
      expect(err.name).toBe('UnreachableError');
      expect(err.message).toMatch(/authentication failed \(All configured authentication methods failed\)/);
    }
  });

  it('a plain ssh2 client sends both requests to the same sshd', async () => {
    const h = lab.host('h1');
    const client = new Client();
    await new Promise<void>((resolve, reject) => {
      client.on('error', reject);
      client.on('ready', () =>
        client.exec('true', (err, stream) => {
          if (err) return reject(err);
          stream.on('close', () => {
            client.end();
            resolve();
          });
          stream.resume();
        }),
      );
      client.connect({ host: h.address, port: PORT, username: 'ops', privateKey: readFileSync(lab.keyFile) });
    });
    await untilClosed();
    const lines = await requestsLogged();
    expect(
      lines.some((l) => /method none/.test(l)),
      lines.join('\n'),
    ).toBe(true);
    expect(
      lines.some((l) => /rtype hostkeys-prove-00@openssh.com/.test(l)),
      lines.join('\n'),
    ).toBe(true);
  });
});
