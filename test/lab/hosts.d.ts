import type { StartedTestContainer } from 'testcontainers';

export const LAB_IMAGE: string;

export interface LabHost {
  name: string;
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
  writeInventory(file: string, spec: InventorySpec): string;
  stop(): Promise<void>;
}

export function startLab(specs: { name: string; firewall?: 'firewalld' }[]): Promise<Lab>;
