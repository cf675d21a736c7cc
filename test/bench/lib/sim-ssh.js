// Simulated hosts for the controller-side scale benchmark: one ssh2 Server per loopback port.
// They answer vprov's scripts with answers RECORDED from a real lab host a moment earlier, so
// they follow whatever scripts vprov sends today: a listener in record mode forwards every
// exec to its real host and keeps (state, shape) → answer; in replay mode each simulated host
// walks the same states (fresh → converged after an apply script). The shape of a script is
// its command (digits and hex masked) plus its @@vprov:…@@ section markers, so unique temp
// names and changed script bodies still match. A script with no recorded answer fails loudly
// (exit 97) and is counted: the benchmark reports it, it never passes as a success.
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

export function shapeOf(command, stdin) {
  const markers = [...stdin.matchAll(/@@vprov:([a-z0-9:_-]+)@@/g)].map((m) => m[1]);
  return `${command.replace(/[0-9a-f]{6,}|\d+/g, '#')}|${markers.join(',')}`;
}

export class SimFleet {
  constructor() {
    this.hostKey = utils.generateKeyPairSync('ed25519');
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

  /** One listener per simulated host; returns its port. */
  async addHost(name, role) {
    const host = { name, role, state: 'fresh', record: null, port: 0 };
    const server = new Server({ hostKeys: [this.hostKey.private] }, (client) => this.serve(client, host));
    const net = createServer((sock) => server.injectSocket(sock));
    await new Promise((resolve) => net.listen(0, '127.0.0.1', resolve));
    host.port = net.address().port;
    this.servers.push(net);
    this.hosts.push(host);
    return host;
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

  serve(client, host) {
    let upstream = null;
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => ctx.accept());
    client.on('close', () => upstream?.end());
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('exec', (accept, _reject, info) => {
          const stream = accept();
          const greeting = becomeGreeting(info.command);
          if (greeting) stream.write(greeting);
          const input = [];
          stream.on('data', (d) => input.push(d));
          stream.on('end', async () => {
            const stdin = Buffer.concat(input).toString('utf8');
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
            if (stdin.includes(APPLY_MARKER) && answer.code === 0) host.state = 'converged';
            if (answer.stdout) stream.write(answer.stdout);
            if (answer.stderr) stream.stderr.write(answer.stderr);
            stream.exit(answer.code);
            stream.end();
          });
        });
      });
    });
  }

  async close() {
    await Promise.all(this.servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
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
