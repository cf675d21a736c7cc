// Lab hosts for tests and the demo: real containers from the vprov-lab image, real sshd,
// one fresh ed25519 key per run. Plain JS so the demo (node) and tests (vitest) share it.
import { mkdtempSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import ssh2 from 'ssh2';
import { stringify } from 'yaml';

export const LAB_IMAGE = process.env.VPROV_LAB_IMAGE ?? 'vprov-lab:bookworm';
const run = promisify(execFile);

// No registry and no reaper image here: Ryuk must stay off, images are local only.
process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';

/**
 * Start lab hosts.
 * @param {{ name: string, firewall?: 'firewalld' }[]} specs
 * @returns {Promise<Lab>}
 */
export async function startLab(specs) {
  const { GenericContainer, Wait } = await import('testcontainers');
  const dir = mkdtempSync(join(tmpdir(), 'vprov-lab-'));
  const keys = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'vprov-lab' });
  const keyFile = join(dir, 'id_ed25519');
  writeFileSync(keyFile, keys.private);
  chmodSync(keyFile, 0o600);
  const started = await Promise.allSettled(
    specs.map((spec) =>
      new GenericContainer(LAB_IMAGE)
        .withName(`vprov-lab-${spec.name}-${process.pid}-${Math.random().toString(36).slice(2, 7)}`)
        .withEnvironment({ AUTHORIZED_KEY: keys.public, ...(spec.firewall ? { FIREWALL: spec.firewall } : {}) })
        .withAddedCapabilities('NET_ADMIN', 'NET_RAW')
        .withExposedPorts(22)
        .withWaitStrategy(Wait.forLogMessage(/Server listening/))
        .withStartupTimeout(60_000)
        .start(),
    ),
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
      container: c,
      id: c.getId(),
      address: c.getIpAddress('bridge'),
      sshHost: c.getHost(),
      sshPort: c.getMappedPort(22),
    };
  });
  return new Lab(dir, keyFile, hosts);
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
   * Write an inventory for these hosts. `roles` maps host name → roles; extra fields merge in.
   * @returns {string} the inventory path
   */
  writeInventory(file, { roles, product = 'storware', platforms, defaults = {}, hosts = {}, ...rest }) {
    const inventory = {
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
