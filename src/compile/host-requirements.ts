/**
 * What the products of a site ask of one host besides its firewall — the service account, its
 * sudo commands, the SELinux mode — as their union. Requirements that cannot be met together
 * (different SELinux modes, different account attributes for one user) are contradictions:
 * refused, unless a host-level inventory setting decides, and then the decision is recorded. Pure.
 * The resource modules (account, sudoers, selinux) make their desired slices from this union.
 */
import type { SelinuxMode } from '../core/types.js';
import type { Inventory, SiteProduct } from '../inventory/load.js';

export interface Decision {
  host: string;
  /** what was decided: "SELinux mode", "home of account vprotect" */
  what: string;
  value: string;
  /** the inventory setting that decided, with its place: hosts.engine.selinux (site.yaml:12) */
  setting: string;
  /** each product's own requirement, with its documents and section */
  products: string[];
  message: string;
}

/** The one service account the host's products ask for; home and shell as documented or decided (absent: none named). */
export interface AccountUnion {
  user: string;
  /** every product's groups, sorted */
  groups: string[];
  home?: string;
  shell?: string;
}

/** The documented sudo commands of the host's roles, merged (only when there is at least one). */
export interface SudoUnion {
  user: string;
  /** the host's roles with a sudo list, qualified as the host holds them, sorted */
  roles: string[];
  commands: string[];
  /** commands a product's catalog flags as root-equivalent */
  flagged: ReadonlySet<string>;
}

export interface HostRequirements {
  account: AccountUnion | null;
  sudo: SudoUnion | null;
  /** the service account a product of the inventory could ask of this host (whether or not its roles do) */
  serviceAccount?: string;
  selinuxMode: SelinuxMode | 'keep';
  /** products whose documented SELinux modes do not include the mode applied */
  selinuxOff: { sp: SiteProduct; mode: SelinuxMode }[];
  contradictions: string[];
  decisions: Decision[];
}

const cite = (sources: readonly string[], section: string) => `${sources.join(', ')} — ${section}`;

/** The host's roles of one product, as the catalog names them (storware/node → node). */
function rolesOf(inv: Inventory, host: string, sp: SiteProduct): string[] {
  return inv.data.hosts[host]!.roles.filter((r) => r.startsWith(sp.prefix) && !r.slice(sp.prefix.length).includes('/')).map((r) => r.slice(sp.prefix.length));
}

export function hostRequirements(inv: Inventory, name: string): HostRequirements {
  const { data } = inv;
  const host = data.hosts[name]!;
  const where = (field: string) => {
    const line = inv.hostLine(name);
    return `hosts.${name}.${field} (${inv.file}${line ? `:${line}` : ''})`;
  };
  const contradictions: string[] = [];
  const decisions: Decision[] = [];
  // The products that ask something of this host: it holds one of their roles with a sudo list.
  const asking = inv.products
    .map((sp) => ({
      sp,
      roles: rolesOf(inv, name, sp)
        .filter((r) => r in sp.product.requirements.sudo)
        .sort(),
    }))
    .filter((x) => x.roles.length > 0);

  // SELinux: one mode per host. Products that document different modes (or allowed sets with no
  // common mode) contradict each other unless the host says which mode it runs.
  const selinuxMode = host.selinux ?? (asking.length > 0 ? data.defaults.selinux : 'keep');
  const documented = asking.filter(({ sp }) => sp.product.requirements.selinux);
  const wants = documented.map(({ sp }) => {
    const s = sp.product.requirements.selinux!;
    return `${sp.product.id} documents ${s.mode} (allowed: ${s.allowed.join(', ')}; ${cite(s.sources, s.section)})`;
  });
  const modes = new Set(documented.map(({ sp }) => sp.product.requirements.selinux!.mode));
  const common = (['enforcing', 'permissive', 'disabled'] as const).filter((m) =>
    documented.every(({ sp }) => sp.product.requirements.selinux!.allowed.includes(m)),
  );
  if (documented.length > 1 && (modes.size > 1 || common.length === 0)) {
    if (host.selinux !== undefined) {
      const setting = where('selinux');
      decisions.push({
        host: name,
        what: 'SELinux mode',
        value: host.selinux,
        setting,
        products: wants,
        message: `host ${name}: SELinux ${host.selinux}, decided by ${setting}: ${wants.join('; ')}`,
      });
    } else if (selinuxMode !== 'keep') {
      const choice = common.length > 0 ? `one of ${common.join(', ')} meets every product` : 'no mode meets every product';
      contradictions.push(`host ${name}: contradicting SELinux requirements: ${wants.join('; ')}; ${choice}: settle it with ${where('selinux')}: MODE`);
    }
  }
  const selinuxOff =
    selinuxMode === 'keep'
      ? []
      : documented.filter(({ sp }) => !sp.product.requirements.selinux!.allowed.includes(selinuxMode)).map(({ sp }) => ({ sp, mode: selinuxMode }));

  // The service account: one per user, its groups the union (added, never removed); a home or
  // shell two products document differently is settled by the inventory's own setting.
  const withAccount = asking.filter(({ sp }) => sp.product.requirements.account);
  const users = [...new Set(withAccount.map(({ sp }) => sp.product.requirements.account!.user))];
  let account: AccountUnion | null = null;
  let sudo: SudoUnion | null = null;
  if (users.length > 1) {
    const who = withAccount.map(
      ({ sp }) =>
        `${sp.product.id} needs ${sp.product.requirements.account!.user} (${cite(sp.product.requirements.account!.sources, sp.product.requirements.account!.section)})`,
    );
    contradictions.push(`host ${name}: two service accounts on one host are not supported: ${who.join('; ')}; give each product its own host`);
  } else if (users.length === 1) {
    const user = users[0]!;
    const attr = (field: 'home' | 'shell'): string | undefined => {
      const own = host.account?.[field] ?? data.defaults.account[field];
      const asked = withAccount.filter(({ sp }) => sp.product.requirements.account![field] !== undefined);
      const values = new Set(asked.map(({ sp }) => sp.product.requirements.account![field]!));
      const claims = asked.map(({ sp }) => {
        const a = sp.product.requirements.account!;
        return `${sp.product.id} documents ${a[field]} (${cite(a.sources, a.section)})`;
      });
      if (values.size > 1) {
        if (own === undefined) {
          contradictions.push(
            `host ${name}: contradicting ${field} for account ${user}: ${claims.join('; ')}; settle it with ${where('account')}: { ${field}: PATH }`,
          );
        } else {
          const setting = host.account?.[field] !== undefined ? where(`account.${field}`) : `defaults.account.${field} (${inv.file})`;
          decisions.push({
            host: name,
            what: `${field} of account ${user}`,
            value: own,
            setting,
            products: claims,
            message: `host ${name}: ${field} of account ${user} is ${own}, decided by ${setting}: ${claims.join('; ')}`,
          });
        }
      }
      return own ?? [...values][0];
    };
    const home = attr('home');
    const shell = attr('shell');
    account = {
      user,
      groups: [...new Set(withAccount.flatMap(({ sp }) => sp.product.requirements.account!.groups))].sort(),
      ...(home !== undefined ? { home } : {}),
      ...(shell !== undefined ? { shell } : {}),
    };
    const roles = withAccount
      .flatMap(({ sp, roles: rs }) => rs.map((r) => ({ sp, role: r, qualified: sp.prefix + r })))
      .sort((a, b) => (a.qualified < b.qualified ? -1 : a.qualified > b.qualified ? 1 : 0));
    const commands = [...new Set(roles.flatMap(({ sp, role }) => sp.product.requirements.sudo[role]!.commands))];
    const flagged = new Set(withAccount.flatMap(({ sp }) => sp.product.requirements.rootEquivalent));
    if (commands.length > 0) sudo = { user, roles: roles.map((r) => r.qualified), commands, flagged };
  }
  const serviceAccount = inv.products.map((sp) => sp.product.requirements.account?.user).find((u) => u !== undefined);
  return { account, sudo, ...(serviceAccount !== undefined ? { serviceAccount } : {}), selinuxMode, selinuxOff, contradictions, decisions };
}
