/** Pure data types shared by every layer. No I/O, no behaviour. */

export type Protocol = 'tcp' | 'udp' | 'icmp';
export type Family = 'ipv4' | 'ipv6';
export type SelinuxMode = 'enforcing' | 'permissive' | 'disabled';
export const FIREWALL_BACKENDS = ['auto', 'nftables', 'firewalld', 'none'] as const;
export type FirewallBackend = (typeof FIREWALL_BACKENDS)[number];
export type HostKeyPolicy = 'strict' | 'accept-new' | 'off';

/** One documented, directed need: `from` role → `to` role (docs/design.md §3). */
export interface Flow {
  id: string;
  product: string;
  platform: string | null;
  platformTitle: string | null;
  method: string | null;
  from: string;
  to: string;
  protocol: Protocol;
  /** "22" or "16000-16999"; empty for ICMP */
  ports: string[];
  purpose: string;
  condition: string | null;
  /** document file names that state this row */
  sources: string[];
  /** section of the document the row was transcribed from */
  section: string;
}

/**
 * Bytes one command on a host may print (stdout and stderr together) unless ssh.maxOutput says
 * otherwise: a host that prints more fails ("output over N bytes"), so no host can make the
 * controller hold more than this per connection, whatever it streams.
 */
export const DEFAULT_MAX_OUTPUT = 8 * 1024 * 1024;

export interface SshTarget {
  host: string;
  port: number;
  user: string;
  identityFile?: string;
  become: boolean;
  hostKeys: HostKeyPolicy;
  knownHostsFile?: string;
  connectTimeoutMs: number;
  /** per-command limit */
  commandTimeoutMs: number;
  /** bytes one command may print (stdout and stderr together); default DEFAULT_MAX_OUTPUT */
  maxOutputBytes?: number;
  /** the first hop (ProxyJump / bastion), itself possibly behind another */
  proxyJump?: SshTarget;
}

/**
 * Each resource module's slice of a host's desired state, keyed by its kind. Every module
 * declares its own slice in its file, by augmentation (src/resources/firewall.ts, account.ts, …):
 *   declare module '../core/types.js' { interface DesiredSlices { mykind: MyDesired | null } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by each resource module's augmentation
export interface DesiredSlices {}

/** A resource module's kind (see src/resources/registry.ts). */
export type ResourceKind = keyof DesiredSlices;

/** Everything vprov wants one host to look like, computed purely from catalog × inventory. */
export interface HostDesired extends DesiredSlices {
  name: string;
  address: string;
  roles: string[];
  managed: boolean;
  ssh: SshTarget;
  /**
   * What a product could ask of this host and its roles do not (any more): checked, and removed
   * when vprov's host record says vprov wrote it. Accounts only with `removeAccount`.
   */
  retired?: { account?: string; sudoersFile?: string; removeAccount?: boolean; why?: string };
}

/** A compile or inventory warning (its schema is the report's: src/core/report.ts). */
export type { Warning } from './report.js';
