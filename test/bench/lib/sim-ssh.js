// Simulated hosts for the controller-side scale benchmark, served by ssh2 in this process.
// Addressing 'port' (the default): one listener per host on 127.0.0.1, a port each — a
// refused host is a closed port. Addressing 'address': each host its own loopback address
// (127.16.0.1, 127.16.0.2 … — all of 127.0.0.0/8 is this machine's), all on ONE port of one
// listener; the host is known by the address the connection came to (socket.localAddress).
// That presents 40,000 hosts without 40,000 listening sockets (this machine allows 20,000
// open files and 28,000 ephemeral ports). There a refused host is reset as soon as the TCP
// handshake completes (an RST, "read ECONNRESET" to the client), not refused at SYN
// (ECONNREFUSED): one wildcard listener cannot leave one address of its port closed.
// They answer vprov's scripts with answers RECORDED from a real lab host a moment earlier, so
// they follow whatever scripts vprov sends today: a listener in record mode forwards every
// exec to its real host and keeps (state, shape) → answer; in replay mode each simulated host
// walks the same states (fresh → converged after an apply script). The shape of a script is
// its command (digits and hex masked) plus its @@vprov:…@@ section markers, so unique temp
// names and changed script bodies still match. A script with no recorded answer fails loudly
// (exit 97) and is counted: the benchmark reports it, it never passes as a success.
//
// Faults (setFault / planFaults): a host can misbehave the ways a real fleet does, seeded and
// reproducible — refused or reset connections (before the handshake, during the facts, during
// the apply script), stalls past each limit (handshake, a command, the host's whole --timeout),
// truncated and garbled fact output, a sudo that asks for a password, a changed host key, slow
// answers, a channel that never closes. FAULTS says what each does; the chaos tier
// (test/integration/chaos.test.ts) says what status each must earn.
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';

const { Server, Client, utils } = ssh2;
const APPLY_MARKER = '@@vprov:apply-';
// vprov's become protocol (src/transport/become.ts): the script is sent only after the root
// shell printed this run's token, so the simulator prints it first, as sudo -n would.
const BECOME_LINES = /^vprov-become-(?:pid-[0-9a-f]+=\d+|ok-[0-9a-f]+)\r?\n/gm;

function becomeGreeting(command) {
  const pid = /echo (vprov-become-pid-[0-9a-f]+=)\$\$/.exec(command);
  const ok = /echo (vprov-become-ok-[0-9a-f]+)/.exec(command);
  return pid && ok ? `${pid[1]}4242\n${ok[1]}\n` : '';
}

/** Each fault kind: what the simulated host does. */
export const FAULTS = {
  refuse: 'nothing listens on its port (connection refused)',
  'reset-handshake': 'every TCP connection is reset before the SSH handshake',
  'stall-handshake': 'TCP accepted, then not one byte: the handshake never completes',
  'host-key': 'answers with another host key than the one known for it',
  'sudo-prompt': 'sudo -n fails: a password is required',
  'reset-facts': 'the connection is reset while the facts script runs',
  'stall-facts': 'the facts script never answers',
  'no-close': 'the facts script answers and exits, but its channel never closes',
  'truncated-facts': 'the facts output stops halfway (exit 0)',
  'garbled-facts': 'a stretch of the facts output is replaced by random bytes (exit 0)',
  'reset-apply': 'the connection is reset once the apply script has been sent',
  'stall-apply': 'the apply script never answers',
  slow: 'every answer comes late, within every limit',
  'over-time': "every step comes late: within each limit, past the host's --timeout for an apply",
};

/** A small seeded generator (mulberry32): the same seed, the same faults on the same hosts. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Which host gets which fault: `rates` maps a fault kind to the share of hosts that get it
 * (together at most 1). Each host draws once, in order, from `seed`. Returns Map(name → kind).
 */
export function planFaults(names, { seed, rates }) {
  for (const k of Object.keys(rates)) if (!(k in FAULTS)) throw new Error(`unknown fault ${k} (known: ${Object.keys(FAULTS).join(', ')})`);
  const total = Object.values(rates).reduce((a, b) => a + b, 0);
  if (total > 1 + 1e-9) throw new Error(`fault rates add up to ${total}, more than 1`);
  const draw = rng(seed);
  const out = new Map();
  for (const name of names) {
    let u = draw();
    for (const [kind, r] of Object.entries(rates)) {
      if (u < r) {
        out.set(name, kind);
        break;
      }
      u -= r;
    }
  }
  return out;
}

/** `total` shared evenly by `kinds`: { kind: total / kinds.length }. */
export const evenly = (total, kinds) => Object.fromEntries(kinds.map((k) => [k, total / kinds.length]));

export function shapeOf(command, stdin) {
  const markers = [...stdin.matchAll(/@@vprov:([a-z0-9:_-]+)@@/g)].map((m) => m[1]);
  return `${command.replace(/[0-9a-f]{6,}|\d+/g, '#')}|${markers.join(',')}`;
}

export class SimFleet {
  /** @param {{ seed?: number, delayMs?: { slow?: number, overTime?: number }, addressing?: 'port' | 'address' }} [o] */
  constructor({ seed = 1, delayMs = {}, addressing = 'port' } = {}) {
    if (addressing !== 'port' && addressing !== 'address') throw new Error(`addressing: 'port' or 'address', not ${addressing}`);
    this.addressing = addressing;
    /** 'address': loopback address → host, and the one listener they share */
    this.byAddress = new Map();
    this.shared = null;
    /** the ssh2 Server of each host key (own / other), shared by every host; socket → its host */
    this.sshServers = new Map();
    this.hostOf = new WeakMap();
    this.hostKey = utils.generateKeyPairSync('ed25519');
    /** a key no known_hosts line names: the host-key fault answers with it */
    this.otherKey = utils.generateKeyPairSync('ed25519');
    this.garble = rng(seed ^ 0x5eed);
    this.delay = { slow: delayMs.slow ?? 300, overTime: delayMs.overTime ?? 1000 };
    /** sockets held open by stalls, ended by close() */
    this.held = new Set();
    /** host name → time of its first TCP connection (tests: which hosts a run started) */
    this.connected = new Map();
    /** called with (host, isApply) when a script arrives (tests: interrupt a run mid-way) */
    this.onScript = null;
    /** role → Map(`${state}|${shape}` → { stdout, stderr, code }) */
    this.answers = new Map();
    this.hosts = [];
    this.mismatches = [];
    this.servers = [];
  }

  /** `ssh-ed25519 AAAA…`, for a known_hosts file written ahead (as after first contact). */
  publicKeyLine() {
    return this.hostKey.public.split(' ').slice(0, 2).join(' ');
  }

  /** `[address]:port ssh-ed25519 AAAA…`: the host's known_hosts line. */
  knownHostsLine(host) {
    return `[${host.address}]:${host.port} ${this.publicKeyLine()}`;
  }

  /** A simulated host: its own listener on 127.0.0.1 ('port'), or its own loopback address on the shared listener ('address'). */
  async addHost(name, role) {
    const host = { name, role, state: 'fresh', record: null, address: '127.0.0.1', port: 0, fault: null, net: null };
    if (this.addressing === 'address') {
      if (!this.shared) {
        this.shared = createServer((sock) => this.acceptShared(sock));
        await new Promise((resolve, reject) => this.shared.once('error', reject).listen(0, '0.0.0.0', resolve));
      }
      host.address = loopbackAddress(this.hosts.length);
      host.port = this.shared.address().port;
      this.byAddress.set(host.address, host);
    } else {
      host.net = createServer((sock) => this.accept(sock, host));
      await new Promise((resolve) => host.net.listen(0, '127.0.0.1', resolve));
      host.port = host.net.address().port;
      this.servers.push(host);
    }
    this.hosts.push(host);
    return host;
  }

  /** The shared listener: the host is the address the client connected to; anything else (the network, a container) is cut off. */
  acceptShared(sock) {
    sock.on('error', () => undefined);
    const host = this.byAddress.get(sock.localAddress);
    if (!host || !sock.remoteAddress?.startsWith('127.')) return sock.destroy();
    if (host.fault === 'refuse') {
      if (!this.connected.has(host.name)) this.connected.set(host.name, Date.now());
      return sock.resetAndDestroy();
    }
    this.accept(sock, host);
  }

  /** The host misbehaves as FAULTS[kind] says from its next connection on (null: healthy again). */
  async setFault(host, kind) {
    if (kind !== null && !(kind in FAULTS)) throw new Error(`unknown fault ${kind}`);
    const wasRefusing = host.fault === 'refuse';
    host.fault = kind;
    if (!host.net) return; // a shared address: acceptShared resets it
    if (kind === 'refuse' && !wasRefusing) await new Promise((resolve) => host.net.close(resolve));
    if (kind !== 'refuse' && wasRefusing) await new Promise((resolve, reject) => host.net.once('error', reject).listen(host.port, '127.0.0.1', resolve));
  }

  /** Faults for the whole fleet, from planFaults(); every other host is healthy. */
  async setFaults(plan) {
    for (const h of this.hosts) await this.setFault(h, plan.get(h.name) ?? null);
  }

  accept(sock, host) {
    sock.on('error', () => undefined);
    if (!this.connected.has(host.name)) this.connected.set(host.name, Date.now());
    const fault = host.fault;
    if (fault === 'reset-handshake') return sock.resetAndDestroy();
    if (fault === 'stall-handshake') return this.hold(sock);
    const key = fault === 'host-key' ? 'other' : 'own';
    let server = this.sshServers.get(key);
    if (!server) {
      // ssh2's server-side client keeps its socket (_sock): it names the host, and the faults that reset it need it.
      server = new Server({ hostKeys: [(key === 'own' ? this.hostKey : this.otherKey).private] }, (client) =>
        this.serve(client, this.hostOf.get(client._sock), client._sock),
      );
      this.sshServers.set(key, server);
    }
    this.hostOf.set(sock, host);
    const start = () => server.injectSocket(sock);
    if (fault === 'over-time') setTimeout(start, this.delay.overTime);
    else start();
  }

  hold(sock) {
    this.held.add(sock);
    sock.on('close', () => this.held.delete(sock));
  }

  /** Forward this host's scripts to a real host and keep the answers for its role. */
  record(host, target) {
    host.record = target;
    host.state = 'fresh';
  }

  replay(host) {
    host.record = null;
  }

  resetStates() {
    for (const h of this.hosts) h.state = 'fresh';
  }

  serve(client, host, sock) {
    let upstream = null;
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => ctx.accept());
    client.on('close', () => upstream?.end());
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('exec', (accept, _reject, info) => {
          const stream = accept();
          // The client may close the channel while an answer waits (a stall, a late answer): later writes are dropped.
          let closed = false;
          stream.on('close', () => (closed = true));
          stream.on('error', () => undefined);
          stream.stderr.on('error', () => undefined);
          const fault = host.fault;
          if (fault === 'sudo-prompt' && /\bsudo -n\b/.test(info.command)) {
            stream.stderr.write('sudo: a password is required\n');
            stream.exit(1);
            return stream.end();
          }
          const greeting = becomeGreeting(info.command);
          if (greeting) stream.write(greeting);
          const input = [];
          stream.on('data', (d) => input.push(d));
          stream.on('end', async () => {
            const stdin = Buffer.concat(input).toString('utf8');
            const isApply = stdin.includes(APPLY_MARKER);
            this.onScript?.(host, isApply);
            const shape = shapeOf(info.command, stdin);
            const key = `${host.state}|${shape}`;
            let answer;
            if (host.record) {
              upstream ??= await connect(host.record);
              answer = await execOn(upstream, info.command, stdin);
              answer.stdout = answer.stdout.replace(BECOME_LINES, ''); // the recording run's own markers
              if (!this.answers.has(host.role)) this.answers.set(host.role, new Map());
              this.answers.get(host.role).set(key, answer);
            } else {
              answer = this.answers.get(host.role)?.get(key);
              if (!answer) {
                this.mismatches.push(`${host.name} (${host.role}, ${host.state}): ${shape}`);
                answer = { stdout: '', stderr: `vprov bench simulator: no recorded answer for this script in state ${host.state}\n`, code: 97 };
              }
            }
            // Faults of a running script: the facts script is any script but the apply script.
            const during = isApply ? 'apply' : 'facts';
            if (fault === `reset-${during}`) return sock.resetAndDestroy();
            if (fault === `stall-${during}`) return;
            if (fault === 'truncated-facts' && !isApply) answer = { ...answer, stdout: answer.stdout.slice(0, Math.floor(answer.stdout.length / 2)) };
            if (fault === 'garbled-facts' && !isApply) answer = { ...answer, stdout: this.garbled(answer.stdout) };
            const wait = fault === 'slow' ? this.delay.slow : fault === 'over-time' ? this.delay.overTime : 0;
            if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
            if (closed) return;
            if (isApply && answer.code === 0) host.state = 'converged';
            if (answer.stdout) stream.write(answer.stdout);
            if (answer.stderr) stream.stderr.write(answer.stderr);
            stream.exit(answer.code);
            if (fault === 'no-close' && !isApply) return; // exit status sent; no EOF, no close
            stream.end();
          });
        });
      });
    });
  }

  /** A third of the text from its middle on replaced by bytes from the seeded generator. */
  garbled(text) {
    const from = Math.floor(text.length / 3);
    const junk = Array.from({ length: Math.floor(text.length / 3) }, () => String.fromCharCode(Math.floor(this.garble() * 256))).join('');
    return text.slice(0, from) + junk + text.slice(from + junk.length);
  }

  async close() {
    for (const sock of this.held) sock.destroy();
    await Promise.all(this.servers.map((h) => (h.fault === 'refuse' ? undefined : new Promise((resolve) => h.net.close(resolve)))));
    if (this.shared) await new Promise((resolve) => this.shared.close(resolve));
  }
}

/** The i-th simulated host's loopback address: 127.16.0.1 on, never .0 or .255 (they look like network and broadcast). */
export function loopbackAddress(i) {
  const second = 16 + Math.floor(i / (256 * 254));
  if (second > 254) throw new Error(`no loopback address for simulated host ${i}`);
  return `127.${second}.${Math.floor(i / 254) % 256}.${(i % 254) + 1}`;
}

function connect(target) {
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.once('ready', () => resolve(c));
    c.once('error', reject);
    c.connect({ host: target.host, port: target.port, username: target.user, privateKey: readFileSync(target.keyFile) });
  });
}

function execOn(client, command, stdin) {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, ch) => {
      if (err) return reject(err);
      const out = [];
      const errOut = [];
      ch.on('data', (d) => out.push(d));
      ch.stderr.on('data', (d) => errOut.push(d));
      ch.on('close', (code) => resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8'), code: code ?? 255 }));
      ch.end(stdin);
    });
  });
}
