/**
 * ipstack: the documents' host requirements on the IP stack (catalog `requirements.host`,
 * resource: ipstack).
 * - ipv6-enabled (OLVM Manager, seed 003): IPv6 stays enabled. Facts: runtime disable_ipv6 of
 *   all/default, the sysctl.d / sysctl.conf lines that set them, the kernel command line. Apply:
 *   the runtime value (written to /proc/sys) and vprov's drop-in /etc/sysctl.d/zz-vprov-ipv6.conf,
 *   which sorts after every other sysctl.d file. A kernel booted with ipv6.disable=1, or a line
 *   read after the drop-in (/etc/sysctl.conf comes last for `sysctl --system`), is not met and
 *   named with its fix: vprov never edits the boot loader or a file it does not own.
 * - ipv4-address (App Layering appliance, seed 004): verified only; vprov configures no address.
 */
import { UnreadableFactError } from '../core/errors.js';
import type { HostDesired } from '../core/types.js';
import { decodeFileFact, ensureDir, keyValues, q, readFileFact, runTemp, writeFileToWord } from './shell.js';
import { emptyPlan, refusedPlan } from './types.js';
import type { ResourceModule, RowBase } from './module.js';

type Check = 'ipv6-enabled' | 'ipv4-address';

interface IpstackCheck {
  id: Check;
  statement: string;
  sources: string[];
  section: string;
}

export interface IpstackDesired {
  checks: IpstackCheck[];
}

declare module '../core/types.js' {
  interface DesiredSlices {
    ipstack?: IpstackDesired | null;
  }
}

export const DROPIN = '/etc/sysctl.d/zz-vprov-ipv6.conf';
const DROPIN_TEXT =
  '# Managed by vprov: IPv6 stays enabled (the product documents require it).\nnet.ipv6.conf.all.disable_ipv6 = 0\nnet.ipv6.conf.default.disable_ipv6 = 0\n';
/** Where sysctl reads its files, in precedence order for one file name (systemd-sysctl, sysctl --system). */
const SYSCTL_DIRS = ['/etc/sysctl.d', '/run/sysctl.d', '/usr/local/lib/sysctl.d', '/usr/lib/sysctl.d', '/lib/sysctl.d'];
const SYSCTL_CONF = '/etc/sysctl.conf';
const KEY = /^\s*-?net[./]ipv6[./]conf[./](all|default)[./]disable_ipv6\s*=\s*(\S+)/;

/** One line of a sysctl file that sets disable_ipv6 of all/default. */
interface SysctlLine {
  file: string;
  line: number;
  iface: 'all' | 'default';
  value: string;
}

export interface IpstackFacts {
  /** runtime disable_ipv6 of all/default; null: no /proc/sys/net/ipv6 (IPv6 not in the kernel) */
  runtime: { all: string; default: string } | null;
  /** ipv6.disable=1 on the kernel command line */
  bootDisabled: boolean;
  /** sysctl lines setting disable_ipv6, in the order sysctl reads them (the last one wins) */
  lines: SysctlLine[];
  dropin: string | null;
  /** global IPv4 addresses ("192.0.2.5/24 eth0"); null when not asked */
  ipv4: string[] | null;
}

export type IpstackRow = RowBase & { kind: 'ipstack'; check: Check; statement: string };

const cite = (c: IpstackCheck) => `"${c.statement}" (${c.sources.join(', ')}, ${c.section})`;
const wants = (d: HostDesired, id: Check) => d.ipstack?.checks.find((c) => c.id === id);

export const ipstackResource: ResourceModule<'ipstack', IpstackFacts, IpstackRow> = {
  kind: 'ipstack',
  evidence: { kind: 'ipstack', group: 'ipstack', title: 'IP stack (IPv6 kept enabled, IPv4 address)' },

  desired({ inv, host }) {
    const checks: IpstackCheck[] = [];
    for (const sp of inv.products) {
      for (const r of sp.product.requirements.host) {
        if (r.resource !== 'ipstack' || (r.id !== 'ipv6-enabled' && r.id !== 'ipv4-address')) continue;
        if (r.roles.some((role) => host.roles.includes(sp.prefix + role)))
          checks.push({ id: r.id, statement: r.statement, sources: r.sources, section: r.section });
      }
    }
    return checks.length > 0 ? { checks } : null;
  },

  probe(desired) {
    const out: string[] = [];
    if (wants(desired, 'ipv6-enabled')) {
      out.push(
        // read by the shell: no process per value
        `if [ -d /proc/sys/net/ipv6 ]; then read -r a < /proc/sys/net/ipv6/conf/all/disable_ipv6; read -r d < /proc/sys/net/ipv6/conf/default/disable_ipv6; echo "runtime=$a $d"; else echo runtime=absent; fi`,
        `read -r c < /proc/cmdline; case " $c " in *' ipv6.disable=1 '*) echo boot_disabled=yes ;; *) echo boot_disabled=no ;; esac`,
        `grep -HnE '^[[:space:]]*-?net[./]ipv6[./]conf[./](all|default)[./]disable_ipv6[[:space:]]*=' ${SYSCTL_CONF} ${SYSCTL_DIRS.map((d) => `${d}/*.conf`).join(' ')} 2>/dev/null | sed 's/^/line=/'`,
        readFileFact('dropin', DROPIN),
      );
    }
    if (wants(desired, 'ipv4-address')) {
      out.push(
        `if command -v ip >/dev/null 2>&1; then echo ipv4_read=yes; ip -4 -o addr show scope global | while read -r n i f a r; do echo "ipv4=$a $i"; done; else echo ipv4_read=no; fi`,
      );
    }
    return out.join('\n');
  },

  parse(raw, desired) {
    const kv = keyValues(raw);
    const lines = raw.split('\n');
    const facts: IpstackFacts = { runtime: null, bootDisabled: kv.boot_disabled === 'yes', lines: [], dropin: null, ipv4: null };
    if (wants(desired, 'ipv6-enabled')) {
      if (kv.runtime === undefined) return new UnreadableFactError('cannot read disable_ipv6 from /proc/sys/net/ipv6');
      if (kv.runtime !== 'absent') {
        const [all, def] = kv.runtime.split(' ');
        if (!all || !def) return new UnreadableFactError(`cannot read disable_ipv6 from /proc/sys/net/ipv6 (got "${kv.runtime}")`);
        facts.runtime = { all, default: def };
      }
      facts.dropin = decodeFileFact(kv.dropin, DROPIN);
      facts.lines = readOrder(
        lines
          .filter((l) => l.startsWith('line='))
          .flatMap((l): SysctlLine[] => {
            const m = /^line=(.+?):(\d+):(.*)$/.exec(l);
            const k = m && KEY.exec(m[3]!);
            return m && k ? [{ file: m[1]!, line: Number(m[2]), iface: k[1] as 'all' | 'default', value: k[2]! }] : [];
          }),
      );
    }
    if (wants(desired, 'ipv4-address')) {
      if (kv.ipv4_read !== 'yes') return new UnreadableFactError('cannot read the IPv4 addresses: `ip` (iproute2) is not installed');
      facts.ipv4 = lines.filter((l) => l.startsWith('ipv4=')).map((l) => l.slice(5));
    }
    return facts;
  },

  plan(facts, desired) {
    const plan = emptyPlan('ipstack');
    const v6 = wants(desired, 'ipv6-enabled');
    const v4 = wants(desired, 'ipv4-address');
    if (v4) {
      plan.notes.push(`IPv4 address required: ${cite(v4)}`);
      if (facts.ipv4!.length === 0)
        return refusedPlan(
          'ipstack',
          `no IPv4 address on this host: ${cite(v4)}; vprov does not configure addresses (give the host an IPv4 address)`,
          `no IPv4 address on this host; the document requires one: ${v4.statement}`,
        );
      plan.notes.push(`IPv4: ${facts.ipv4!.join(', ')}`);
    }
    if (!v6) return plan;
    plan.notes.push(`IPv6 must stay enabled: ${cite(v6)}`);
    if (facts.bootDisabled || facts.runtime === null) {
      const why = facts.bootDisabled ? 'the kernel was booted with ipv6.disable=1' : 'the kernel has no IPv6 (/proc/sys/net/ipv6 is absent)';
      const fix =
        'remove ipv6.disable=1 from the kernel command line in the boot loader (grubby --update-kernel=ALL --remove-args=ipv6.disable, or GRUB_CMDLINE_LINUX in /etc/default/grub and update-grub / grub2-mkconfig) and reboot; vprov does not edit the boot loader';
      const p = refusedPlan(
        'ipstack',
        `${why}: not met: boot-loader change + reboot needed (${fix}); ${cite(v6)}`,
        `IPv6 is disabled at boot (${why}): ${fix}`,
      );
      p.notes.push(...plan.notes);
      return p;
    }
    // A line read after vprov's drop-in that disables IPv6 cannot be outvoted: name it.
    const after = facts.lines.filter((l) => l.file !== DROPIN && readsAfterDropin(l.file) && l.value !== '0');
    if (after.length > 0) {
      const where = after.map((l) => `${l.file}:${l.line} (net.ipv6.conf.${l.iface}.disable_ipv6 = ${l.value})`).join(', ');
      const p = refusedPlan(
        'ipstack',
        `${where} disables IPv6 and is read after vprov's drop-in ${DROPIN}: remove that line (vprov does not edit files it does not own); ${cite(v6)}`,
        `${where} disables IPv6 after vprov's drop-in: remove that line`,
      );
      p.notes.push(...plan.notes);
      return p;
    }
    const script: string[] = [];
    // The drop-in is wanted while another file disables IPv6 (it stays there after apply: the
    // drop-in outvotes it, so only a missing or different drop-in is a change), and kept right once written.
    const persistentOff = facts.lines.some((l) => l.file !== DROPIN && l.value !== '0');
    if ((persistentOff || facts.dropin !== null) && facts.dropin !== DROPIN_TEXT) {
      const offending = facts.lines.filter((l) => l.file !== DROPIN && l.value !== '0').map((l) => `${l.file}:${l.line}`);
      plan.changes.push(
        `${facts.dropin === null ? '+' : '~'} ${DROPIN} (net.ipv6.conf.all/default.disable_ipv6 = 0${offending.length ? `, read after ${offending.join(', ')}` : ''})`,
      );
      const tmp = runTemp(DROPIN);
      script.push(ensureDir('/etc/sysctl.d'), writeFileToWord(tmp, DROPIN_TEXT), `chmod 0644 ${tmp}`, `mv -f ${tmp} ${q(DROPIN)}`);
    }
    for (const iface of ['all', 'default'] as const) {
      if (facts.runtime[iface] === '0') continue;
      plan.changes.push(`~ net.ipv6.conf.${iface}.disable_ipv6 ${facts.runtime[iface]} → 0 (runtime)`);
      const path = `/proc/sys/net/ipv6/conf/${iface}/disable_ipv6`;
      script.push(`if ! out=$(echo 0 2>&1 > ${path}); then echo "cannot enable IPv6 at runtime: writing ${path} failed: $out" >&2; exit 3; fi`);
    }
    if (script.length > 0) {
      plan.status = 'pending';
      plan.script = script.join('\n');
    }
    return plan;
  },

  requirements(_ctx, h) {
    if (!h?.ipstack) return { rows: [], notApplied: [] };
    return {
      rows: h.ipstack.checks.map((c) => ({
        id: `ipstack:${c.id}@${h.name}`,
        kind: 'ipstack',
        host: h.name,
        managed: h.managed,
        documents: c.sources,
        section: c.section,
        check: c.id,
        statement: c.statement,
      })),
      notApplied: [],
    };
  },

  describe: (row) => ({
    requirement:
      row.check === 'ipv6-enabled'
        ? `IPv6 enabled (not disabled at boot, at runtime or in sysctl files): "${row.statement}"`
        : `an IPv4 address: "${row.statement}"`,
  }),

  judge(row, f) {
    if (row.check === 'ipv4-address') {
      const found = [`ip -4 addr (global): ${f.ipv4?.join(', ') || 'none'}`];
      return f.ipv4 && f.ipv4.length > 0 ? { verdict: 'met', found } : { verdict: 'not met', found, reason: 'no IPv4 address on the host' };
    }
    const found = [
      `/proc/cmdline: ${f.bootDisabled ? 'ipv6.disable=1' : 'no ipv6.disable=1'}`,
      f.runtime ? `runtime: net.ipv6.conf.all.disable_ipv6 = ${f.runtime.all}, default = ${f.runtime.default}` : 'runtime: /proc/sys/net/ipv6 absent',
      ...f.lines.map((l) => `${l.file}:${l.line}: net.ipv6.conf.${l.iface}.disable_ipv6 = ${l.value}`),
    ];
    if (f.bootDisabled || !f.runtime) return { verdict: 'not met', found, reason: 'IPv6 disabled at boot: boot-loader change + reboot needed' };
    const off = (['all', 'default'] as const).filter((i) => f.runtime![i] !== '0');
    if (off.length > 0)
      return { verdict: 'not met', found, reason: `IPv6 disabled at runtime (${off.map((i) => `net.ipv6.conf.${i}.disable_ipv6`).join(', ')})` };
    const last = new Map(f.lines.map((l) => [l.iface, l]));
    const persistent = [...last.values()].filter((l) => l.value !== '0');
    if (persistent.length > 0)
      return { verdict: 'not met', found, reason: `IPv6 disabled at the next boot by ${persistent.map((l) => `${l.file}:${l.line}`).join(', ')}` };
    return { verdict: 'met', found };
  },
};

/** The lines in the order sysctl reads them: files by name across the directories (the first directory's file of a name hides the others), /etc/sysctl.conf last. */
function readOrder(lines: SysctlLine[]): SysctlLine[] {
  const base = (f: string) => f.slice(f.lastIndexOf('/') + 1);
  const winner = new Map<string, string>();
  for (const dir of [...SYSCTL_DIRS].reverse()) for (const l of lines) if (l.file.startsWith(`${dir}/`)) winner.set(base(l.file), l.file);
  const inDirs = lines.filter((l) => l.file !== SYSCTL_CONF && winner.get(base(l.file)) === l.file);
  inDirs.sort((a, b) => (base(a.file) < base(b.file) ? -1 : base(a.file) > base(b.file) ? 1 : a.line - b.line));
  return [...inDirs, ...lines.filter((l) => l.file === SYSCTL_CONF)];
}

/** Read after vprov's drop-in: /etc/sysctl.conf (last for sysctl --system), or a file whose name sorts after it. */
function readsAfterDropin(file: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return file === SYSCTL_CONF || base > DROPIN.slice(DROPIN.lastIndexOf('/') + 1);
}
