/** zod schema of an inventory file (docs/design.md §4). Cross-checks against the catalog live in load.ts. */
import * as z from 'zod';
import { cidrProblem, hostBitsProblem, isHostname } from '../core/net.js';
import { absolutePath, portSpec } from '../catalog/schema.js';
import { sshUserProblem } from '../core/ssh-user.js';
import { SITE_NAME, SITE_NAME_RULE } from '../core/site.js';

/** An address a host can be reached at: one IPv4/IPv6 address (no prefix) or a DNS name. */
const isAddress = (s: string) => (cidrProblem(s) === null && !s.includes('/')) || isHostname(s);
const address = z.string().refine(isAddress, {
  message: 'must be an IPv4/IPv6 address or a DNS name',
});
const cidr = z.string().superRefine((s, ctx) => {
  const problem = cidrProblem(s) ?? hostBitsProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const sshUser = z
  .string()
  .min(1)
  .superRefine((s, ctx) => {
    const problem = sshUserProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: `not a user name OpenSSH accepts: ${problem}` });
  });

/** ProxyJump hops are "[user@]host[:port]": each hop's user is held to the same rule. */
const proxyJump = z
  .string()
  .min(1)
  .superRefine((s, ctx) => {
    for (const hop of s.split(',')) {
      const user = /^([^@]+)@/.exec(hop.trim())?.[1];
      const problem = user === undefined ? null : sshUserProblem(user);
      if (problem) ctx.addIssue({ code: 'custom', message: `hop "${hop.trim()}": not a user name OpenSSH accepts: ${problem}` });
    }
  });

export const sshSchema = z
  .object({
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    user: sshUser.optional(),
    identityFile: z.string().min(1).optional(),
    become: z.boolean().optional(),
    hostKeys: z.enum(['strict', 'accept-new', 'off']).optional(),
    knownHostsFile: z.string().min(1).optional(),
    connectTimeout: z.number().positive().optional(),
    /** seconds one command may run */
    commandTimeout: z.number().positive().optional(),
    /** bytes one command may print (8M by default): a number, or with a unit (64K, 16M, 1G) */
    maxOutput: z
      .union([z.number().int().min(1024), z.string().regex(/^[1-9][0-9]*[KMG]$/, 'expected a number of bytes, or one with a unit: 512K, 16M, 1G')])
      .optional(),
    /** "[user@]host[:port]" or the name of an inventory host; comma-separated for several hops */
    proxyJump: proxyJump.optional(),
  })
  .strict();

const FIREWALL_EXPECTED = 'expected auto | nftables | firewalld | none, or { backend, inputPolicy, sshAdmins, confirmTimeout }';
const firewallSchema = z.union(
  [
    z.enum(['auto', 'firewalld', 'nftables', 'none']),
    z
      .object({
        backend: z.enum(['auto', 'firewalld', 'nftables', 'none']).default('auto'),
        inputPolicy: z.enum(['accept', 'drop']).default('accept'),
        /** sources that keep SSH access when inputPolicy is drop */
        sshAdmins: z.array(cidr).default([]),
        /** seconds a risky firewall change waits for confirmation from a new SSH session before it is rolled back */
        confirmTimeout: z.number().int().min(5).max(3600).default(60),
      })
      .strict(),
  ],
  { error: FIREWALL_EXPECTED },
);

const selinuxSchema = z.enum(['permissive', 'enforcing', 'disabled', 'keep']);
const accountSchema = z.object({ home: absolutePath.optional(), shell: absolutePath.optional() }).strict();

const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const hostSchema = z
  .object({
    address,
    roles: z.array(z.string().min(1)).min(1, 'a host needs at least one role'),
    platform: z.string().optional(),
    managed: z.boolean().default(true),
    ssh: sshSchema.optional(),
    firewall: firewallSchema.optional(),
    selinux: selinuxSchema.optional(),
    /** home and shell of the service account on this host: settles products that document different ones */
    account: accountSchema.optional(),
  })
  .strict();

const platformSelection = z
  .object({
    platform: z.string().min(1),
    method: z.string().min(1).optional(),
    options: z.record(z.string(), z.boolean()).default({}),
  })
  .strict();
const platformsSchema = z.array(platformSelection).min(1, 'select at least one platform');
/** overrides of documented default ports, by the catalog's param names */
const portsSchema = z.record(z.string(), z.array(portSpec).min(1)).default({});

/** One product of a site (docs/design.md §4a): what it protects, and its port overrides. */
const siteProductSchema = z.object({ platforms: platformsSchema, ports: portsSchema }).strict();

const oneOrMore = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** A flow the site runs itself (monitoring, backup of the hosts, admin tools): the catalog's flow shape. */
const siteFlowSchema = z
  .object({
    /** a role (PRODUCT/ROLE in a site), a site network, or a list of them */
    from: oneOrMore,
    to: oneOrMore,
    protocol: z.enum(['tcp', 'udp', 'icmp']),
    ports: z.array(portSpec).default([]),
    purpose: z.string().min(1),
    /** an option of a product's selected platforms (PRODUCT/OPTION in a site): the flow is opened only when it is on */
    condition: z.string().min(1).optional(),
  })
  .strict()
  .refine((f) => (f.protocol === 'icmp' ? f.ports.length === 0 : f.ports.length > 0), {
    message: 'tcp/udp flows need ports; icmp flows take none',
    path: ['ports'],
  });

export const inventorySchema = z
  .object({
    /** the site this inventory describes (default: the file name without its extension) */
    site: z.string().regex(SITE_NAME, `a site name uses ${SITE_NAME_RULE}`).optional(),
    /** the single-product form; exclusive with products: */
    product: z.string().min(1).optional(),
    platforms: platformsSchema.optional(),
    ports: z.record(z.string(), z.array(portSpec).min(1)).optional(),
    /** a site of several products: product id → its platforms and port overrides */
    products: z.record(z.string(), siteProductSchema).optional(),
    /** the site's own flows */
    flows: z.array(siteFlowSchema).default([]),
    defaults: z
      .object({
        // A host's address as everyone's default would send every host to one machine.
        ssh: sshSchema
          .superRefine((ssh, ctx) => {
            if (ssh.host !== undefined)
              ctx.addIssue({
                code: 'custom',
                path: ['host'],
                message: "a host's own address cannot be a default for every host: set ssh.host or address on the host",
              });
          })
          .default({}),
        firewall: firewallSchema.default('auto'),
        selinux: selinuxSchema.default('keep'),
        account: accountSchema.default({}),
      })
      .strict()
      .default({ ssh: {}, firewall: 'auto', selinux: 'keep', account: {} }),
    hosts: z
      .record(z.string().regex(HOST_NAME, 'host names use letters, digits, _ . -'), hostSchema)
      .refine((h) => Object.keys(h).length > 0, 'an inventory needs at least one host'),
    groups: z.record(z.string(), z.array(z.string())).default({}),
    /** hosts and groups imported from an Ansible inventory (INI or YAML), groups mapped to roles */
    ansible: z
      .object({ inventory: z.string().min(1), roles: z.record(z.string(), z.union([z.string().min(1), z.array(z.string().min(1)).min(1)])).default({}) })
      .strict()
      .optional(),
    /**
     * Where vprov runs from (CIDRs): the permanent SSH sources of a drop policy, so that any
     * of several controllers, or one whose address changes, keeps access without drift.
     */
    controllers: z.array(cidr).default([]),
    /** CIDRs for roles that have no hosts here (clients, external systems, admins), and the site's own networks named by flows: */
    networks: z.record(z.string(), z.array(cidr).min(1)).default({}),
    /** flow ids whose warning the operator has read ("skipped: no source"): not repeated, still counted */
    acknowledge: z.array(z.string().min(1)).default([]),
  })
  .strict();

export type InventoryFile = z.infer<typeof inventorySchema>;

/**
 * inventorySchema.safeParse, with the hosts of the usual shape checked by hand: zod's generic
 * walk of 10,000 hosts was a quarter of a cold inventory load. A host of only address, roles,
 * platform and managed, each valid (the same predicates as hostSchema), is copied as zod would
 * copy it (its keys in the schema's order, managed defaulting to true); when every host is such
 * a host, zod checks the rest of the file with one of them standing for all. Any other host —
 * another key, a wrong type, a bad name or address — and zod checks the whole file as before,
 * for its own messages in its own order.
 */
export function parseInventoryFile(raw: unknown): ReturnType<typeof inventorySchema.safeParse> {
  const hosts = raw !== null && typeof raw === 'object' ? (raw as { hosts?: unknown }).hosts : undefined;
  const checked = hostsByHand(hosts);
  if (checked === undefined) return inventorySchema.safeParse(raw);
  const [first] = Object.keys(checked);
  const rest = inventorySchema.safeParse({ ...(raw as object), hosts: { [first!]: (hosts as Record<string, unknown>)[first!] } });
  if (rest.success) rest.data.hosts = checked;
  return rest;
}

const HOST_KEYS = new Set(['address', 'roles', 'platform', 'managed']);

function hostsByHand(hosts: unknown): InventoryFile['hosts'] | undefined {
  if (hosts === null || typeof hosts !== 'object' || Object.getPrototypeOf(hosts) !== Object.prototype) return undefined;
  const out: InventoryFile['hosts'] = {};
  let n = 0;
  for (const name of Object.keys(hosts)) {
    const host = hostByHand((hosts as Record<string, unknown>)[name]);
    if (host === undefined || !HOST_NAME.test(name)) return undefined;
    out[name] = host;
    n++;
  }
  // Enumerable own keys only: anything else (symbols, non-enumerable) is zod's to judge.
  return n > 0 && Reflect.ownKeys(hosts).length === n ? out : undefined;
}

function hostByHand(h: unknown): InventoryFile['hosts'][string] | undefined {
  if (h === null || typeof h !== 'object' || Object.getPrototypeOf(h) !== Object.prototype) return undefined;
  const keys = Reflect.ownKeys(h);
  if (!keys.every((k) => typeof k === 'string' && HOST_KEYS.has(k))) return undefined;
  const { address: a, roles, platform, managed } = h as Record<string, unknown>;
  if (typeof a !== 'string' || !isAddress(a)) return undefined;
  if (!Array.isArray(roles) || roles.length === 0 || Object.getPrototypeOf(roles) !== Array.prototype) return undefined;
  if (Reflect.ownKeys(roles).length !== roles.length + 1) return undefined;
  for (const r of roles) if (typeof r !== 'string' || r.length === 0) return undefined;
  if (keys.includes('platform') && typeof platform !== 'string') return undefined;
  if (keys.includes('managed') && typeof managed !== 'boolean') return undefined;
  return {
    address: a,
    roles: [...(roles as string[])],
    ...(keys.includes('platform') ? { platform: platform as string } : {}),
    managed: (managed as boolean | undefined) ?? true,
  };
}
export type InventoryHost = InventoryFile['hosts'][string];
export type PlatformSelection = z.infer<typeof platformSelection>;
export type SiteFlowSpec = InventoryFile['flows'][number];
export type FirewallSetting = z.infer<typeof firewallSchema>;
