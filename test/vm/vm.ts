/**
 * The test VM (SELinux, ipstack): a Debian bookworm guest (image from test/vm/build.sh, cached by recipe
 * hash) booted under QEMU with TCG (no KVM needed) from -kernel/-initrd with
 * `security=selinux`, SSH forwarded to a loopback port. Every VM runs on a throw-away qcow2
 * overlay, so the cached image is never changed. State is read over a separate SSH session
 * of the test's own (ssh2), never through vprov.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { appendFileSync, chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ssh2 from 'ssh2';

const run = promisify(execFile);
const BUILD = fileURLToPath(new URL('./build.sh', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Builds the image when its recipe changed (minutes), else prints the cached directory. */
export async function vmImage(): Promise<string> {
  const { stdout } = await run('bash', [BUILD], { maxBuffer: 1 << 20, timeout: 40 * 60_000 });
  return stdout.trim().split('\n').pop()!;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class Vm {
  private qemu: ChildProcess | undefined;
  private conn: ssh2.Client | undefined;
  /** seconds each boot took to answer SSH, for the report */
  readonly bootSeconds: number[] = [];

  private constructor(
    readonly dir: string,
    readonly image: string,
    readonly keyFile: string,
    readonly sshPort: number,
  ) {}

  static async start(opts: { memoryMb?: number; cpus?: number; bootTimeoutMs?: number; append?: string } = {}): Promise<Vm> {
    const image = await vmImage();
    const dir = mkdtempSync(join(tmpdir(), 'vprov-vm-'));
    const keyFile = join(dir, 'id_ed25519');
    copyFileSync(join(image, 'id_ed25519'), keyFile);
    chmodSync(keyFile, 0o600);
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', join(image, 'rootfs.ext4'), join(dir, 'overlay.qcow2')]);
    const vm = new Vm(dir, image, keyFile, await freePort());
    vm.launch(opts);
    await vm.waitForBoot(null, opts.bootTimeoutMs);
    return vm;
  }

  /** Start QEMU on the overlay; `append` adds kernel command line arguments. */
  private launch(opts: { memoryMb?: number; cpus?: number; append?: string }): void {
    const accel = process.env.VPROV_VM_ACCEL ?? 'tcg';
    const args = [
      '-machine',
      'q35',
      '-accel',
      accel,
      '-cpu',
      accel === 'kvm' ? 'host' : 'max',
      '-smp',
      String(opts.cpus ?? 2),
      '-m',
      String(opts.memoryMb ?? 1536),
      '-display',
      'none',
      '-serial',
      `file:${join(this.dir, 'console.log')}`,
      '-kernel',
      join(this.image, 'vmlinuz'),
      '-initrd',
      join(this.image, 'initrd.img'),
      '-append',
      `root=/dev/vda rw console=ttyS0 security=selinux selinux=1 quiet${opts.append ? ` ${opts.append}` : ''}`,
      '-drive',
      `file=${join(this.dir, 'overlay.qcow2')},if=virtio,format=qcow2`,
      '-nic',
      `user,model=virtio-net-pci,restrict=on,hostfwd=tcp:127.0.0.1:${this.sshPort}-:22`,
    ];
    const qemu = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    qemu.stderr!.on('data', (d: Buffer) => appendFileSync(join(this.dir, 'qemu.log'), d));
    this.qemu = qemu;
  }

  /**
   * Power the guest off from inside (a clean shutdown: the disk is synced) and boot it again on
   * the same disk with another kernel command line (`append`: extra arguments; none: the
   * default) — what a boot-loader change and a reboot do. Bounded like every wait here.
   */
  async powerCycle(opts: { memoryMb?: number; cpus?: number; append?: string; timeoutMs?: number } = {}): Promise<void> {
    const before = await this.bootId();
    const q = this.qemu!;
    const exited = new Promise((r) => q.once('exit', r));
    await this.exec('setsid sh -c "sleep 1; systemctl poweroff" </dev/null >/dev/null 2>&1 &');
    this.disconnect();
    const timeoutMs = opts.timeoutMs ?? 600_000;
    await Promise.race([exited, sleep(timeoutMs)]);
    if (q.exitCode === null && q.signalCode === null) throw new Error(`vm did not power off within ${timeoutMs / 1000} s`);
    this.launch(opts);
    await this.waitForBoot(before);
  }

  private connect(timeoutMs = 60_000): Promise<ssh2.Client> {
    return new Promise((resolve, reject) => {
      const c = new ssh2.Client();
      c.on('ready', () => resolve(c))
        .on('error', reject)
        .on('close', () => {
          if (this.conn === c) this.conn = undefined;
        })
        .connect({ host: '127.0.0.1', port: this.sshPort, username: 'ops', privateKey: readFileSync(this.keyFile), readyTimeout: timeoutMs });
    });
  }

  /** Run a command as root (sudo) in the guest over the test's own SSH session. */
  async exec(command: string, timeoutMs = 300_000): Promise<ExecResult> {
    this.conn ??= await this.connect();
    const conn = this.conn;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`vm: "${command}" timed out`)), timeoutMs);
      conn.exec(`sudo sh -c ${shellQuote(command)}`, (err, stream) => {
        if (err) return reject(err);
        let stdout = '';
        let stderr = '';
        stream.on('data', (d: Buffer) => (stdout += d));
        stream.stderr.on('data', (d: Buffer) => (stderr += d));
        stream.on('close', (code: number | null) => {
          clearTimeout(timer);
          resolve({ code: code ?? -1, stdout, stderr });
        });
      });
    });
  }

  /** exec that must succeed; its stdout. */
  async sh(command: string): Promise<string> {
    const r = await this.exec(command);
    if (r.code !== 0) throw new Error(`vm: ${command} → exit ${r.code}: ${r.stderr}`);
    return r.stdout;
  }

  async bootId(): Promise<string> {
    return (await this.sh('cat /proc/sys/kernel/random/boot_id')).trim();
  }

  /** Drop the test's session (the host is going down, or vprov rebooted it). */
  disconnect(): void {
    this.conn?.end();
    this.conn = undefined;
  }

  /**
   * Wait until SSH answers with a boot id other than `previous` (null: any). Bounded: a guest
   * that does not come back fails with the end of its console log.
   */
  async waitForBoot(previous: string | null, timeoutMs = 900_000): Promise<string> {
    const started = Date.now();
    this.disconnect();
    let last = '';
    while (Date.now() - started < timeoutMs) {
      if (this.qemu && this.qemu.exitCode !== null) break;
      try {
        const id = await this.bootId();
        if (id !== previous) {
          this.bootSeconds.push(Math.round((Date.now() - started) / 1000));
          return id;
        }
        last = 'old boot still running';
      } catch (err) {
        last = (err as Error).message;
      }
      this.disconnect();
      await sleep(3000);
    }
    let console = '';
    try {
      console = readFileSync(join(this.dir, 'console.log'), 'utf8').split('\n').slice(-15).join('\n');
    } catch {
      /* no console yet */
    }
    throw new Error(`vm did not answer SSH within ${timeoutMs / 1000} s (last: ${last}); console:\n${console}`);
  }

  /** Reboot from inside the guest (not through vprov) and wait for the new boot. */
  async reboot(): Promise<void> {
    const before = await this.bootId();
    await this.exec('setsid sh -c "sleep 1; systemctl reboot" </dev/null >/dev/null 2>&1 &');
    await this.waitForBoot(before);
  }

  async stop(): Promise<void> {
    this.disconnect();
    const q = this.qemu;
    if (q && q.exitCode === null) {
      const exited = new Promise((r) => q.once('exit', r));
      q.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (q.exitCode === null) q.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
