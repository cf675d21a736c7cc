import type { StartedTestContainer } from 'testcontainers';

export const LAB_IMAGE: string;

export interface LabSpec {
  name: string;
  firewall?: 'firewalld';
  /** boot systemd as PID 1: units, timers, restart() as a reboot */
  systemd?: boolean;
  /** host paths mounted into the container (read-only unless mode says rw) */
  binds?: { source: string; target: string; mode?: 'ro' | 'rw' }[];
  /** extra capabilities (e.g. SYS_ADMIN for fault tests that mount a read-only /etc or a full tmpfs) */
  capAdd?: string[];
  /** net.* sysctls of the container (IPv6 is on by default, as on a real host) */
  sysctls?: Record<string, string>;
}

export interface LabHost {
  name: string;
  spec: LabSpec;
  container: StartedTestContainer;
  id: string;
  /** address other hosts see (docker bridge) */
  address: string;
  sshHost: string;
  sshPort: number;
}

export interface InventorySpec {
  roles: Record<string, string[]>;
  product?: string;
  /** default "lab"; null: no site: line (the file name names the site) */
  site?: string | null;
  platforms?: unknown[];
  defaults?: Record<string, unknown> & { ssh?: Record<string, unknown> };
  hosts?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

export class Lab {
  readonly dir: string;
  readonly keyFile: string;
  readonly knownHosts: string;
  readonly hosts: LabHost[];
  host(name: string): LabHost;
  exec(name: string, command: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** reboot a systemd host (docker restart) and wait until it has booted; updates address/sshPort */
  restart(name: string, timeoutMs?: number): Promise<void>;
  writeInventory(file: string, spec: InventorySpec): string;
  stop(): Promise<void>;
}

/** Throws naming what the lab lacks: a reachable dockerd, or the lab image. */
export function labReady(): Promise<void>;
export function startLab(specs: LabSpec[], opts?: { parallel?: number }): Promise<Lab>;
