/** Results of a run, per host and per resource: what reports render and exit codes derive from. */
import type { ResourceKind, Warning } from './types.js';

export type ProbeResult = 'open' | 'refused' | 'filtered' | 'unknown';

/** verify --connectivity: one TCP connect from a source host to a destination port. */
export interface Probe {
  from: string;
  to: string;
  address: string;
  port: number;
  flow: string;
  result: ProbeResult;
  detail?: string;
}

/** unknown: the apply script started and the connection was lost; only a new plan can tell */
export type ResourceStatus = 'ok' | 'changed' | 'pending' | 'failed' | 'not-applicable' | 'unknown';
export type HostStatus = 'ok' | 'changed' | 'pending' | 'failed' | 'unreachable' | 'skipped';

export interface ResourceReport {
  resource: ResourceKind;
  status: ResourceStatus;
  changes: string[];
  diff?: string;
  warnings: string[];
  notes: string[];
  rebootRequired: boolean;
  error?: string;
  /** a commit-confirmed change: seconds from the change to the new connection that confirmed it */
  confirmedAfterSeconds?: number;
}

/** Something else that lets traffic in (or listens): seen, reported, never drift, never changed. */
export interface ForeignItem {
  kind: 'accept-rule' | 'zone-target' | 'zone-service' | 'zone-port' | 'zone-rich-rule' | 'zone-source' | 'listener';
  /** "table ip filter (chain INPUT)", "zone public", "listening" */
  source: string;
  what: string;
  protocol?: string;
  ports?: string[];
  /** every port it opens is also one a document or site flow requires for this host */
  required: boolean;
  /** a listener where nothing filters inbound traffic: open to anyone who reaches the host */
  open?: boolean;
}

/** "Is anything else open?" for one host. */
export interface ForeignState {
  /** false: nothing filters inbound traffic at all; null: unknown */
  filtered: boolean | null;
  items: ForeignItem[];
  notes: string[];
  /** what could not be read, with its cause */
  errors?: string[];
}

export interface HostReport {
  host: string;
  status: HostStatus;
  managed: boolean;
  resources: ResourceReport[];
  error?: string;
  rebootRequired: boolean;
  /** apply --reboot scheduled a reboot of this host */
  rebooting?: boolean;
  /** the host came back after that reboot (new boot id) and its state was verified again */
  rebooted?: boolean;
  /** how this run came to own the host, when it is news: adopted, taken over */
  notes?: string[];
  /** plan/drift/verify: what else is open on the host (not vprov's, never changed) */
  foreign?: ForeignState;
  /** apply --take-over took this host from another site (who owned it until then) */
  takenOver?: { site: string; controller: string; updated: string };
  /** commands sent over the connection (facts = 1) */
  roundTrips: number;
  durationMs: number;
}

export interface RunReport {
  command: 'plan' | 'apply' | 'verify' | 'drift';
  /** the site the inventory describes: in every report, so two sites' reports never look alike */
  site: string;
  inventory: string;
  startedAt: string;
  durationMs: number;
  warnings: Warning[];
  hosts: HostReport[];
  /** --shard i/n this report covers */
  shard?: string;
  /** verify --connectivity: TCP probes from source hosts to the ports their flows open */
  connectivity?: Probe[];
  /** the run was stopped by a signal: no host started after it (notStarted of them) */
  interrupted?: { signal: string; notStarted: number };
  /** plan --out: the plan file written; apply FILE: the plan file applied (path and sha256 of its bytes) */
  planFile?: { path: string; sha256: string };
}
