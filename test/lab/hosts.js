// Lab hosts for tests and the demo: real containers from the vprov-lab image, real sshd,
// one fresh ed25519 key per run. Plain JS so the demo (node) and tests (vitest) share it.
import { mkdtempSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer } from 'node:net';
import ssh2 from 'ssh2';
import { stringify } from 'yaml';

export const LAB_IMAGE = process.env.VPROV_LAB_IMAGE ?? 'vprov-lab:bookworm';
const run = promisify(execFile);

// No registry and no reaper image here: Ryuk must stay off, images are local only.
process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';

/**
 * The command that says a host is ready. systemd hosts: boot finished, sshd (and firewalld when
 * asked for) active; `is-system-running --wait` returns once the boot job queue is empty.
 */
function readyCommand(spec) {
  const units = ['ssh.service', ...(spec.firewall === 'firewalld' ? ['firewalld.service'] : [])];
  return `systemctl is-system-running --wait >/dev/null 2>&1; systemctl is-active --quiet ${units.join(' ')}`;
}

/**
 * The lab needs a reachable dockerd and the lab image. Say which one is missing and how to get
 * it, rather than testcontainers' generic "no working container runtime" (a test then fails
 * with that reason: under CI nothing is skipped for want of docker).
 */
export async function labReady() {
  const first = (err) =>
    String(err.stderr || err.message)
      .trim()
      .split('\n')[0];
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}']);
  } catch (err) {
    throw new Error(`docker is not reachable (${first(err)}): the lab needs dockerd; test/lab/build.sh installs and starts it`);
  }
  try {
    await run('docker', ['image', 'inspect', '--format', '{{.Id}}', LAB_IMAGE]);
  } catch (err) {
    throw new Error(`lab image ${LAB_IMAGE} is missing (${first(err)}): build it with test/lab/build.sh (npm run lab)`);
  }
}

/**
 * Start lab hosts. `systemd: true` boots systemd as PID 1 (units, timers, `restart()` as a
 * reboot); the image and the key/firewall contract are the same (docs/testing.md).
 * `binds` mounts host paths into the container (read-only unless mode says otherwise).
 * `capAdd` adds capabilities (SYS_ADMIN: fault tests mount a read-only /etc or a full tmpfs).
 * `sysctls` sets net.* sysctls of the container (IPv6 is on by default, as on a real host).
 * @param {{ name: string, firewall?: 'firewalld', systemd?: boolean, binds?: { source: string, target: string, mode?: 'ro' | 'rw' }[], capAdd?: string[], sysctls?: Record<string, string> }[]} specs
 * @param {{ parallel?: number }} [opts] at most this many containers starting at once (default: all)
 * @returns {Promise<Lab>}
 */
export async function startLab(specs, { parallel = Infinity } = {}) {
  await labReady();
  const { GenericContainer, Wait } = await import('testcontainers');
  // testcontainers has no option for the cgroup namespace: systemd as PID 1 needs the host's.
  class SystemdContainer extends GenericContainer {
    constructor(image) {
      super(image);
      this.hostConfig.CgroupnsMode = 'host';
    }
  }
  const container = (spec) => {
    const base = spec.systemd
      ? new SystemdContainer(LAB_IMAGE)
          .withEntrypoint(['/lib/systemd/systemd'])
          .withAddedCapabilities('NET_ADMIN', 'NET_RAW', 'SYS_ADMIN')
          .withTmpFs({ '/run': 'rw', '/run/lock': 'rw' })
          .withBindMounts([{ source: '/sys/fs/cgroup', target: '/sys/fs/cgroup', mode: 'rw' }, ...(spec.binds ?? []).map((b) => ({ mode: 'ro', ...b }))])
          .withWaitStrategy(Wait.forSuccessfulCommand(readyCommand(spec)))
          .withStartupTimeout(180_000)
      : new GenericContainer(LAB_IMAGE)
          .withAddedCapabilities('NET_ADMIN', 'NET_RAW', ...(spec.capAdd ?? []))
          .withBindMounts((spec.binds ?? []).map((b) => ({ mode: 'ro', ...b })))
          .withWaitStrategy(Wait.forLogMessage(/Server listening/))
          .withStartupTimeout(180_000); // firewalld starts before sshd and is slow on a loaded 2-core machine
    // IPv6 on, as on a real host (Docker turns it off in containers without an IPv6 network):
    // the OLVM Manager's documents require it. `sysctls` sets others (net.* only, per container).
    base.hostConfig.Sysctls = { 'net.ipv6.conf.all.disable_ipv6': '0', 'net.ipv6.conf.default.disable_ipv6': '0', ...(spec.sysctls ?? {}) };
    return base;
  };
  const dir = mkdtempSync(join(tmpdir(), 'vprov-lab-'));
  // ssh2 generates an ed25519 key it cannot parse back about once in 200: draw again.
  let keys = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'vprov-lab' });
  for (let i = 0; i < 20 && ssh2.utils.parseKey(keys.private) instanceof Error; i++) keys = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'vprov-lab' });
  const keyFile = join(dir, 'id_ed25519');
  writeFileSync(keyFile, keys.private);
  chmodSync(keyFile, 0o600);
  // Docker hands out host ports for 22 in order from the range other programs listen in too
  // (a simulated fleet of thousands of loopback servers): it can hand out one already taken
  // ("bind: address already in use"), and the next ones as well. That container never started:
  // it is removed, and started again on a port the kernel has just found free, at most 5 times.
  const start = async (spec) => {
    for (let attempt = 1; ; attempt++) {
      const name = `vprov-lab-${spec.name}-${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
      try {
        return await container(spec)
          .withName(name)
          .withEnvironment({ AUTHORIZED_KEY: keys.public, ...(spec.firewall ? { FIREWALL: spec.firewall } : {}) })
          .withExposedPorts(attempt === 1 ? 22 : { container: 22, host: await freePort() })
          .start();
      } catch (err) {
        if (attempt >= 5 || !/bind: address already in use/.test(String(err?.message))) throw err;
        await run('docker', ['rm', '-f', name]).catch(() => undefined);
      }
    }
  };
  // At most `parallel` starting at once: 100 containers started together on two cores miss their start-up timeout.
  const started = new Array(specs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, specs.length) }, async () => {
      while (next < specs.length) {
        const i = next++;
        started[i] = await start(specs[i]).then(
          (value) => ({ status: 'fulfilled', value }),
          (reason) => ({ status: 'rejected', reason }),
        );
      }
    }),
  );
  const containers = started.filter((s) => s.status === 'fulfilled').map((s) => s.value);
  const failure = started.find((s) => s.status === 'rejected');
  if (failure) {
    await Promise.all(containers.map((c) => c.stop({ timeout: 1 }).catch(() => undefined)));
    throw failure.reason;
  }
  const hosts = specs.map((spec, i) => {
    const c = containers[i];
    return {
      name: spec.name,
      spec,
      container: c,
      id: c.getId(),
      address: c.getIpAddress('bridge'),
      sshHost: c.getHost(),
      sshPort: c.getMappedPort(22),
    };
  });
  return new Lab(dir, keyFile, hosts);
}

/** A TCP port no one listens on at this moment (the kernel's choice). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export class Lab {
  constructor(dir, keyFile, hosts) {
    this.dir = dir;
    this.keyFile = keyFile;
    this.hosts = hosts;
    this.knownHosts = join(dir, 'known_hosts');
  }

  host(name) {
    const h = this.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`no lab host ${name}`);
    return h;
  }

  /** Run a command in a lab host from outside (docker exec), as root. */
  async exec(name, command) {
    try {
      const { stdout, stderr } = await run('docker', ['exec', this.host(name).id, 'sh', '-c', command]);
      return { code: 0, stdout, stderr };
    } catch (err) {
      return { code: err.code ?? 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
    }
  }

  /**
   * Reboot a systemd lab host: `docker restart` (systemd takes SIGTERM as "re-execute", so the
   * stop ends in SIGKILL: a power cut, the harder case), then wait until it has booted, and
   * read its (possibly new) address and SSH port. Write inventories again after this.
   */
  async restart(name, timeoutMs = 180_000) {
    const h = this.host(name);
    if (!h.spec.systemd) throw new Error(`lab host ${name} does not run systemd: restart() is a reboot only there`);
    await run('docker', ['restart', '--time', '3', h.id], { timeout: 120_000 });
    const deadline = Date.now() + timeoutMs;
    let last = { code: -1, stdout: '', stderr: '' };
    while (Date.now() < deadline) {
      last = await this.exec(name, readyCommand(h.spec));
      if (last.code === 0) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    if (last.code !== 0) throw new Error(`lab host ${name} did not come back after restart: ${last.stdout}${last.stderr}`);
    const { stdout } = await run('docker', [
      'inspect',
      '--format',
      '{{(index (index .NetworkSettings.Ports "22/tcp") 0).HostPort}} {{.NetworkSettings.Networks.bridge.IPAddress}}',
      h.id,
    ]);
    const [port, address] = stdout.trim().split(' ');
    h.sshPort = Number(port);
    h.address = address;
  }

  /**
   * Write an inventory for these hosts. `roles` maps host name → roles; extra fields merge in.
   * `site` is "lab" unless given (null: none, so the file name names the site).
   * @returns {string} the inventory path
   */
  writeInventory(file, { roles, product = 'storware', platforms, defaults = {}, hosts = {}, site = 'lab', ...rest }) {
    const inventory = {
      // One site for every inventory a test writes for these hosts (a test may apply several to
      // the same host); site: null leaves it to the file name.
      ...(site === null ? {} : { site }),
      product,
      platforms: platforms ?? [{ platform: 'openstack', method: 'SSH transfer', options: { netcat: true } }],
      defaults: {
        ...defaults,
        ssh: { user: 'ops', identityFile: this.keyFile, become: true, hostKeys: 'accept-new', knownHostsFile: this.knownHosts, ...(defaults.ssh ?? {}) },
        firewall: defaults.firewall ?? 'nftables',
        selinux: defaults.selinux ?? 'permissive',
      },
      hosts: Object.fromEntries(
        this.hosts
          .filter((h) => roles[h.name])
          .map((h) => [h.name, { address: h.address, roles: roles[h.name], ssh: { host: h.sshHost, port: h.sshPort }, ...(hosts[h.name] ?? {}) }]),
      ),
      ...rest,
    };
    const path = join(this.dir, file);
    writeFileSync(path, stringify(inventory));
    return path;
  }

  async stop() {
    await Promise.all(this.hosts.map((h) => h.container.stop({ timeout: 1 }).catch(() => undefined)));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
