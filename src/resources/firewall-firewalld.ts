/**
 * firewalld backend. vprov owns `vprov-*` ipsets and one policy, `vprov-in` (ingress ANY →
 * egress HOST): inbound accepts for the documented flows, evaluated before zone rules,
 * so no zone (and no user service in it) is ever edited. Permanent XML is written, the whole
 * configuration checked with `firewall-offline-cmd --check-config`, then a plain
 * `firewall-cmd --reload` (never --complete-reload, which drops connections). Drift compares
 * the runtime (read back through firewalld's own client library) and the permanent files
 * with the rendered desired state.
 */
import { firewalldRuntimeSchema, parseHostJson } from './host-data.js';
import type { FirewallDesired } from './firewall-desired.js';
import { base64OfFile, decodeBase64Fact, decodeFileFact, keyValues, q, runTemp, writeFileToWord } from './shell.js';
import type { UnreadableFactError } from '../core/errors.js';
import { render } from '../core/templates.js';
import { emptyPlan, failedPlan, lineChanges, refusedPlan, type ResourcePlan } from './types.js';
import { boundedChanges } from './change-lines.js';

/** Whether firewalld runs (or its unit is on its way up); when it does not, why, and the unit's last log lines. */
export interface FirewalldStatus {
  running: boolean;
  down?: { state: string; log: string };
}

export const POLICY = 'vprov-in';
/** Every process's name (what `pgrep -x` matches), as a glob. */
export const PROC_COMM = '/proc/[0-9]*/comm';
/**
 * sh condition: a process named firewalld, its name read by the shell from /proc (what
 * `pgrep -x firewalld` matched: an exec of pgrep cost a host more than the rest of the host
 * section).
 */
const FIREWALLD_BY_NAME = `{ vprov_fwd_p=; for vprov_fwd_c in ${PROC_COMM}; do IFS= read -r vprov_fwd_n < "$vprov_fwd_c" && [ "$vprov_fwd_n" = firewalld ] && { vprov_fwd_p=1; break; }; done 2>/dev/null; [ -n "$vprov_fwd_p" ]; }`;
/** pidof -x also finds firewalld started as `python3 /usr/sbin/firewalld` (another name in /proc). */
const FIREWALLD_BY_SCRIPT = 'pidof -x firewalld >/dev/null 2>&1';
/** sh condition: is a firewalld process there? */
const FIREWALLD_PROCESS = `${FIREWALLD_BY_NAME} || ${FIREWALLD_BY_SCRIPT}`;
/** sh condition (builtins only): firewalld's commands are installed. */
const FIREWALLD_INSTALLED = '{ command -v firewall-cmd || command -v firewalld; } >/dev/null 2>&1';
/** sh condition: does this host run systemd (and have its client)? */
const SYSTEMD = '[ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1';
/** firewalld.service states on the way up: a firewalld in them that does not answer yet is waited for. */
const UNIT_COMING = 'active|activating|reloading|deactivating';
/**
 * How long vprov waits for a firewalld that runs (or whose unit is starting) but does not answer
 * on D-Bus yet: right after a boot or a restart, on a slow host. Part of the host's time
 * (`--timeout`, `ssh.commandTimeout`), never on top of it. docs/faults.md.
 */
export const FIREWALLD_WAIT_S = 90;

/**
 * The firewalld status lines, first in the firewall section (sets $VPROV_FIREWALLD for the runtime probe). A
 * firewalld process, or a unit on its way up, counts as running: the firewall section then waits
 * for it to answer. Otherwise the cause is printed: not installed, the unit's state (and its last
 * log lines when it failed), or no process on a host without systemd. Cheap on every path: no
 * Python is started here.
 */
export function firewalldHostScript(): string {
  return [
    `VPROV_FIREWALLD=1; vprov_fwd_unit=; vprov_fwd_inst=`,
    `if ${FIREWALLD_INSTALLED}; then vprov_fwd_inst=1; fi`,
    // pidof scans /proc as a new process (≈40 ms on a host with 2,000 processes): only asked where firewalld is installed.
    `if ${FIREWALLD_BY_NAME} || { [ -n "$vprov_fwd_inst" ] && ${FIREWALLD_BY_SCRIPT}; }; then echo firewalld=running`,
    `else`,
    `  if ${SYSTEMD}; then vprov_fwd_unit=$(systemctl is-active firewalld.service 2>/dev/null); fi`,
    `  case $vprov_fwd_unit in`,
    `    ${UNIT_COMING}) echo firewalld=running ;;`,
    `    *) VPROV_FIREWALLD=; echo firewalld=no`,
    `      if [ -z "$vprov_fwd_inst" ]; then echo 'firewalld_state=not installed'`,
    `      elif [ -z "$vprov_fwd_unit" ]; then echo 'firewalld_state=no firewalld process'`,
    `      else echo "firewalld_state=firewalld.service: $vprov_fwd_unit"; if [ "$vprov_fwd_unit" = failed ]; then echo "firewalld_log=$(${UNIT_LOG} | base64 -w0)"; fi; fi ;;`,
    `  esac`,
    `fi`,
  ].join('\n');
}

/** The unit's last log lines (what `systemctl status` shows under the state). */
const UNIT_LOG = 'journalctl -u firewalld.service -n 5 --no-pager -o cat 2>/dev/null';

/**
 * sh function: returns 0 once \`firewall-cmd --state\` says running. Until then it polls every
 * second while firewalld.service is on its way up (a restart passes through deactivating), at
 * most FIREWALLD_WAIT_S; without systemd, while a firewalld process is there. A unit stopped or
 * failed, no process, or the bound passed: returns 1 with the cause in $vprov_fwd_why, at once
 * (empty when firewall-cmd itself cannot run).
 * Costs nothing when firewalld answers: callers ask it only after a firewalld call failed.
 */
const WAIT_FN = `vprov_firewalld_wait() {
  vprov_fwd_end=$(( $(date +%s) + ${FIREWALLD_WAIT_S} ))
  while :; do
    firewall-cmd --state >/dev/null 2>&1; vprov_fwd_rc=$?
    [ "$vprov_fwd_rc" = 0 ] && return 0
    # 126/127: firewall-cmd cannot run at all (its interpreter is gone): no wait helps, the caller's own error says why
    case $vprov_fwd_rc in 126|127) vprov_fwd_why=; return 1 ;; esac
    if ${SYSTEMD}; then
      vprov_fwd_unit=$(systemctl is-active firewalld.service 2>/dev/null)
      case $vprov_fwd_unit in ${UNIT_COMING}) ;; *)
        vprov_fwd_why="firewalld.service is \${vprov_fwd_unit:-unknown}; last log lines: $(${UNIT_LOG} | tr '\\n' ' ')"; return 1 ;;
      esac
    elif ! { ${FIREWALLD_PROCESS}; }; then
      vprov_fwd_why='no firewalld process is running'; return 1
    fi
    if [ "$(date +%s)" -ge "$vprov_fwd_end" ]; then
      vprov_fwd_why="firewalld runs\${vprov_fwd_unit:+ (firewalld.service: $vprov_fwd_unit)} but did not answer on D-Bus within ${FIREWALLD_WAIT_S} s: $(firewall-cmd --state 2>&1 | tr '\\n' ' ')"
      # Seen on Debian bookworm's policy: dbus-daemon denies firewalld's replies to an admin shell (a USER_AVC).
      [ "$(getenforce 2>/dev/null)" = Enforcing ] && vprov_fwd_why="$vprov_fwd_why (SELinux is enforcing: look for firewalld_t send_msg denials with ausearch -m USER_AVC; docs/resources.md)"
      return 1
    fi
    sleep 1
  done
}`;

/** firewall-cmd --reload; when firewalld does not answer (restarted meanwhile), wait for it and reload once more. */
function reloadScript(): string {
  return [
    WAIT_FN,
    `if ! vprov_out=$(firewall-cmd --reload 2>&1); then`,
    `  if vprov_firewalld_wait; then firewall-cmd --reload >/dev/null; else echo "firewall-cmd --reload failed: $vprov_out\${vprov_fwd_why:+; $vprov_fwd_why}" >&2; exit 3; fi`,
    `fi`,
  ].join('\n');
}
const IPSET_DIR = '/etc/firewalld/ipsets';
const POLICY_DIR = '/etc/firewalld/policies';
/** Before zones (which run at priority 0), after anything an admin put at the very front. */
const PRIORITY = -100;

export interface FirewalldState {
  ipsets: Record<string, { type: string; family: string; entries: string[] }>;
  policies: Record<string, { target: string; priority: number; ingress: string[]; egress: string[]; rules: string[] }>;
}

/** ipset names are at most 32 characters (firewalld/kernel limit). */
export function ipsetName(set: string): string {
  const name = `vprov-${set}`;
  if (name.length <= 32) return name;
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `${name.slice(0, 24)}-${h.toString(36).slice(0, 7)}`;
}

interface DesiredFirewalld {
  files: Map<string, string>;
  state: FirewalldState;
}

/** hash:net takes no /0 (firewalld ignores such an entry with a warning): the world is two halves. */
const HALVES: Record<string, string[]> = { '0.0.0.0/0': ['0.0.0.0/1', '128.0.0.0/1'], '::/0': ['::/1', '8000::/1'] };

export function desiredFirewalld(fw: FirewallDesired): DesiredFirewalld {
  const files = new Map<string, string>();
  const state: FirewalldState = { ipsets: {}, policies: {} };
  for (const s of fw.sets) {
    const name = ipsetName(s.name);
    const family = s.family === 'ipv4' ? 'inet' : 'inet6';
    const entries = s.elements.flatMap((e) => HALVES[e] ?? [e]);
    files.set(`${IPSET_DIR}/${name}.xml`, render('firewalld-ipset.xml.hbs', { name: s.name, role: s.name.replace(/_v[46](_\d+)?$/, ''), family, entries }));
    state.ipsets[name] = { type: 'hash:net', family, entries: [...entries].sort() };
  }
  const rules = fw.rules.flatMap((r): { family: string; ipset: string; port: string | null; protocol: string }[] => {
    const family = r.family;
    const ipset = ipsetName(r.set);
    if (r.protocol === 'icmp') return [{ family, ipset, port: null, protocol: family === 'ipv4' ? 'icmp' : 'ipv6-icmp' }];
    return r.ports.map((port) => ({ family, ipset, port, protocol: r.protocol }));
  });
  if (rules.length > 0) {
    files.set(`${POLICY_DIR}/${POLICY}.xml`, render('firewalld-policy.xml.hbs', { priority: PRIORITY, rules }));
    state.policies[POLICY] = {
      target: 'CONTINUE',
      priority: PRIORITY,
      ingress: ['ANY'],
      egress: ['HOST'],
      rules: rules.map(
        (r) =>
          `rule family="${r.family}" source ipset="${r.ipset}" ${r.port ? `port port="${r.port}" protocol="${r.protocol}"` : `protocol value="${r.protocol}"`} accept`,
      ),
    };
  }
  return { files, state };
}

/** Order-free lines for one state: equal lines = in sync. */
export function canonicalFirewalld(s: FirewalldState): string[] {
  const lines: string[] = [];
  for (const [name, set] of Object.entries(s.ipsets)) lines.push(`ipset ${name} ${set.type} ${set.family} { ${[...set.entries].sort().join(', ')} }`);
  for (const [name, p] of Object.entries(s.policies)) {
    lines.push(`policy ${name} target=${p.target} priority=${p.priority} ingress=${[...p.ingress].sort().join(',')} egress=${[...p.egress].sort().join(',')}`);
    for (const r of p.rules) lines.push(`policy ${name}: ${r}`);
  }
  return lines.sort();
}

// One python start reads firewalld's version and the runtime state of vprov's objects straight
// from firewalld's D-Bus API (dbus-python, which firewalld itself needs). Not through
// firewall.client: importing it (GLib, gi) and its set-up (a signal match per interface) cost a
// host ≈75 ms of CPU per run, this ≈35 ms; the JSON is the same (FirewallClient's defaults for
// what a policy leaves out; the version is the installed firewalld's, as before).
export const RUNTIME_PY = `import json, dbus
from firewall.config import VERSION
B = "org.fedoraproject.FirewallD1"
try:
    o = dbus.SystemBus().get_object(B, "/org/fedoraproject/FirewallD1", introspect=False)
    prop = lambda name: o.Get(B, name, dbus_interface="org.freedesktop.DBus.Properties")
    state = str(prop("state"))
except dbus.exceptions.DBusException as e:
    raise SystemExit("firewalld does not answer on D-Bus (%s: %s)" % (e.get_dbus_name(), e.get_dbus_message()))
if state != "RUNNING":
    raise SystemExit("firewalld answers but is not running yet (state %s)" % state)
version = VERSION
strs = lambda xs: [str(x) for x in xs]
out = {"version": version, "ipsets": {}, "policies": {}}
ipset = dbus.Interface(o, B + ".ipset")
for n in ipset.getIPSets():
    if n.startswith("vprov-"):
        s = ipset.getIPSetSettings(n)
        out["ipsets"][str(n)] = {"type": str(s[3]), "family": str(s[4].get("family", "inet")), "entries": strs(s[5])}
# policies exist from 0.9.0 (older ones are refused by version); any error reading them is one
if [int(x) if x.isdigit() else 0 for x in version.split(".")[:2]] >= [0, 9]:
    policy = dbus.Interface(o, B + ".policy")
    for p in policy.getPolicies():
        if p.startswith("vprov-"):
            s = policy.getPolicySettings(p)
            out["policies"][str(p)] = {"target": str(s.get("target", "CONTINUE")), "priority": int(s.get("priority", -1)), "ingress": strs(s.get("ingress_zones", [])), "egress": strs(s.get("egress_zones", [])), "rules": strs(s.get("rich_rules", []))}
# What the active zones (and the default zone) open besides vprov's policy: reported, never edited.
# A zone that cannot be read says so; it never fails the probe of vprov's own objects.
try:
    zone = dbus.Interface(o, B + ".zone")
    names = set(str(z) for z in zone.getActiveZones().keys())
    names.add(str(dbus.Interface(o, B).getDefaultZone()))
    out["zones"] = {}
    for z in sorted(names):
        s = zone.getZoneSettings2(z)
        out["zones"][z] = {"target": str(s.get("target", "default")), "services": strs(s.get("services", [])), "ports": ["%s/%s" % (str(p), str(q)) for p, q in s.get("ports", [])], "rich_rules": strs(s.get("rich_rules", [])), "sources": strs(s.get("sources", []))}
except dbus.exceptions.DBusException as e:
    out["zones_error"] = "%s: %s" % (e.get_dbus_name(), e.get_dbus_message())
print(json.dumps(out))
`;
/**
 * sh function: prints why the program $1 could be changed by someone other than root — it, what
 * it resolves to, or a directory above either is not owned by root, or is writable by its group
 * or others (a symlink's own mode means nothing: only its owner counts) — or nothing when it could
 * not. A path that does not exist is not listed (running it fails with its own error); the
 * directories above it are. One readlink and one stat.
 */
const UNTRUSTED_FN = `vprov_untrusted() {
  case $1 in /*) ;; *) echo "$1 is not an absolute path"; return ;; esac
  vprov_tr_real=$(readlink -f -- "$1") || { echo "$1 cannot be resolved"; return; }
  vprov_tr_list=
  for vprov_tr_p in "$1" "$vprov_tr_real"; do
    while :; do
      if [ -e "$vprov_tr_p" ] || [ -L "$vprov_tr_p" ]; then vprov_tr_list="$vprov_tr_list $vprov_tr_p"; fi
      [ "$vprov_tr_p" = / ] && break
      vprov_tr_p=\${vprov_tr_p%/*}; [ -n "$vprov_tr_p" ] || vprov_tr_p=/
    done
  done
  stat -c '%u %f %n' -- $vprov_tr_list 2>&1 | while read -r vprov_tr_u vprov_tr_f vprov_tr_n; do
    case $vprov_tr_f in *[!0-9a-f]*|'') echo "$vprov_tr_u $vprov_tr_f $vprov_tr_n"; break ;; esac
    vprov_tr_m=$(( 0x$vprov_tr_f ))
    if [ "$vprov_tr_u" != 0 ] || { [ $(( vprov_tr_m & 61440 )) != 40960 ] && [ $(( vprov_tr_m & 18 )) != 0 ]; }; then
      echo "$vprov_tr_n (owner uid $vprov_tr_u, mode $(printf '%o' $(( vprov_tr_m & 4095 ))))"; break
    fi
  done
}`;

/**
 * Loaded before any import of the probe: where -I does not exist (Python 2), -E -s keep the
 * environment and the user's site directory out, and this keeps the working directory out.
 */
const CLEAN_PATH_PY = 'import sys; sys.path[:] = [p for p in sys.path if p not in ("", ".")]\n';

// firewalld's Python is the one in firewall-cmd's shebang (RHEL 8: /usr/libexec/platform-python),
// run as root: only when nobody but root can change it, firewall-cmd, or a directory above either
// (else the resource fails naming it), isolated (-I: no working directory, PYTHON* variables or
// user site on sys.path; Python 2 has no -I: -E -s and the path cleaned first). The shebang's own
// options are not used; `#!/usr/bin/env python3` is resolved with the script's fixed PATH.
// Shipped base64-encoded: no quoting or here-document pitfalls inside $(…). A probe that fails
// prints its error: a runtime that cannot be read is never taken for an empty one.
// A probe that fails while firewalld is starting is asked again once it answers (waited for,
// bounded); on the happy path the probe is the only firewalld call.
const RUNTIME_PROBE = [
  WAIT_FN,
  UNTRUSTED_FN,
  `vprov_fwd_cmd=$(command -v firewall-cmd || echo /usr/bin/firewall-cmd)`,
  `py=$(sed -n '1{s/^#![[:space:]]*//;s/[[:space:]][[:space:]]*/ /g;p;}' "$vprov_fwd_cmd" 2>/dev/null); py=\${py%% *}`,
  `case $py in */env) py=$(sed -n '1{s/^#![[:space:]]*//;s/[[:space:]][[:space:]]*/ /g;p;}' "$vprov_fwd_cmd" | cut -d' ' -f2); py=$(command -v "$py") ;; '') py=$(command -v python3) ;; esac`,
  `vprov_fwd_code='${Buffer.from(CLEAN_PATH_PY + RUNTIME_PY).toString('base64')}'`,
  `vprov_fwd_probe() {`,
  `  out=$(printf '%s' "$vprov_fwd_code" | base64 -d | "$py" -I - 2>&1) && return 0`,
  `  case $out in *'nknown option'*-I*|*'nknown option: -I'*) out=$(printf '%s' "$vprov_fwd_code" | base64 -d | "$py" -E -s - 2>&1) ;; *) return 1 ;; esac`,
  `}`,
  `vprov_fwd_why=`,
  `vprov_fwd_bad=$(vprov_untrusted "$vprov_fwd_cmd"); [ -n "$vprov_fwd_bad" ] || vprov_fwd_bad=$(vprov_untrusted "$py")`,
  `if [ -n "$vprov_fwd_bad" ]; then echo "runtime_error=$(printf '%s' "firewall-cmd's interpreter $py (from $vprov_fwd_cmd) is not run as root: $vprov_fwd_bad; only root may be able to change it, firewall-cmd and every directory above them" | base64 -w0)"`,
  `elif vprov_fwd_probe || { vprov_firewalld_wait && vprov_fwd_probe; }; then echo "runtime=$(printf '%s' "$out" | base64 -w0)"`,
  `elif [ -n "$vprov_fwd_why" ]; then echo "runtime_error=$(printf '%s' "$vprov_fwd_why" | base64 -w0)"`,
  `else echo "runtime_error=$(printf '%s' "interpreter $py: $out" | base64 -w0)"; fi`,
].join('\n');

/** The permanent files of vprov's objects: read whether or not firewalld runs (backend switch). */
export function firewalldFilesScript(): string {
  return `for f in ${IPSET_DIR}/vprov-*.xml ${POLICY_DIR}/vprov-*.xml; do [ -f "$f" ] && echo "file:$f=$(${base64OfFile('"$f"')})"; done`;
}

/** The runtime probe (only where firewalld runs or is starting: $VPROV_FIREWALLD). */
export const FIREWALLD_RUNTIME_PROBE = RUNTIME_PROBE;

/** firewalld's status, from the firewall section: running, or why not (with the unit's last log lines when it failed). */
export function parseFirewalldStatus(kv: Record<string, string>): FirewalldStatus {
  return {
    running: kv.firewalld === 'running',
    ...(kv.firewalld_state ? { down: { state: kv.firewalld_state, log: decodeBase64Fact(kv.firewalld_log).trim().split('\n').slice(-5).join(' | ') } } : {}),
  };
}

/** vprov's permanent firewalld files, and the runtime state when it was read (or why it could not be). */
export interface FirewalldFacts {
  files: Map<string, string>;
  runtime: (FirewalldState & { version: string }) | { error: string } | null;
}

/** Parsed firewalld facts (the firewalld backend's part of the firewall section), or the reason they cannot be read. */
export function readFirewalldFacts(raw: string | Record<string, string>): FirewalldFacts | UnreadableFactError {
  const kv = typeof raw === 'string' ? keyValues(raw) : raw;
  let files: Map<string, string>;
  try {
    files = firewalldFiles(kv);
  } catch (err) {
    return err as UnreadableFactError;
  }
  return { files, runtime: parseRuntime(kv) };
}

function parseRuntime(kv: Record<string, string>): FirewalldFacts['runtime'] {
  if (kv.runtime_error !== undefined)
    return { error: `cannot read firewalld's runtime state (nothing applied, nothing reloaded): ${decodeBase64Fact(kv.runtime_error).trim()}` };
  if (kv.runtime === undefined) return null;
  // Checked against the probe's schema (host-data.ts): a host is not trusted to print what RUNTIME_PY prints.
  try {
    return parseHostJson('firewalld runtime probe output', decodeBase64Fact(kv.runtime), firewalldRuntimeSchema);
  } catch (err) {
    return { error: `cannot read firewalld's runtime state: ${(err as Error).message}` };
  }
}

/** Policy objects exist from firewalld 0.9.0; older ones (RHEL 7's 0.6) are refused by name. */
export const POLICY_MIN_VERSION = [0, 9, 0] as const;

export function versionBefore(version: string, min: readonly number[]): boolean {
  const v = version.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < min.length; i++) if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) < min[i]!;
  return false;
}

function firewalldFiles(kv: Record<string, string>): Map<string, string> {
  return new Map(
    Object.entries(kv)
      .filter(([k]) => k.startsWith('file:'))
      .map(([k, v]) => [k.slice(5), decodeFileFact(v, k.slice(5)) ?? '']),
  );
}

/** Removal of vprov's firewalld objects (another backend now): files, then a reload where it runs. */
export function removeFirewalld(facts: Pick<FirewalldFacts, 'files'>, running: boolean): { changes: string[]; script: string } | null {
  const files = [...facts.files.keys()];
  if (files.length === 0) return null;
  return {
    changes: files.map((f) => `- ${f} (vprov's firewalld object; this host's backend is not firewalld)`),
    script: [`rm -f ${files.map(q).join(' ')}`, running ? reloadScript() : ''].filter(Boolean).join('\n'),
  };
}

/** A failed firewalld.service: the host was meant to run firewalld, and it cannot be read. */
export function firewalldFailed(status: FirewalldStatus): boolean {
  return status.down?.state === 'firewalld.service: failed';
}

/**
 * firewalld is not running (nor on its way up), although this host's backend is firewalld (or
 * `auto` finds its unit failed). A failed unit is an error with its last log lines; a stopped or
 * missing firewalld is refused with its state: never taken for "nothing there".
 */
function firewalldDownPlan(status: FirewalldStatus): ResourcePlan {
  const down = status.down ?? { state: 'state unknown', log: '' };
  const plan = firewalldFailed(status)
    ? failedPlan(
        'firewall',
        `firewalld is not running: firewalld.service is failed${down.log ? `; last log lines: ${down.log}` : ''}. Fix it (systemctl status firewalld), or choose firewall: nftables`,
      )
    : refusedPlan(
        'firewall',
        `firewalld is not running (${down.state}; firewall: firewalld in the inventory)`,
        `firewalld is not running (${down.state}): start it or choose firewall: nftables`,
      );
  plan.notes.push('backend: firewalld (policy vprov-in, ipsets vprov-*)');
  return plan;
}

export function planFirewalld(facts: FirewalldFacts, fw: FirewallDesired, status: FirewalldStatus): ResourcePlan {
  if (!status.running) return firewalldDownPlan(status);
  const runtime = facts.runtime ?? { error: `cannot read firewalld's runtime state: unparsable probe output ""` };
  if ('error' in runtime) return failedPlan('firewall', runtime.error);
  const version = runtime.version;
  if (versionBefore(version, POLICY_MIN_VERSION)) {
    return refusedPlan(
      'firewall',
      `firewalld ${version} has no policy objects (they exist from 0.9.0)`,
      `firewalld ${version} is older than 0.9.0 and has no policy objects, which vprov's firewalld backend uses: upgrade firewalld (RHEL/Oracle Linux 8.3+), or set firewall: none and open the documented ports by other means`,
    );
  }
  const plan = emptyPlan('firewall');
  plan.notes.push(`backend: firewalld ${version} (policy vprov-in, ipsets vprov-*)`);
  if (fw.inputPolicy === 'drop') plan.warnings.push('inputPolicy: drop is an nftables setting; with firewalld the zone target decides what is dropped');
  const files = facts.files;
  const desired = desiredFirewalld(fw);
  plan.changes.push(
    ...boundedChanges(lineChanges(canonicalFirewalld(desired.state), canonicalFirewalld({ ipsets: runtime.ipsets ?? {}, policies: runtime.policies ?? {} }))),
  );
  const write = [...desired.files].filter(([path, text]) => files.get(path) !== text);
  const remove = [...files.keys()].filter((path) => !desired.files.has(path));
  const runtimeOnly = plan.changes.length === 0 && (write.length > 0 || remove.length > 0);
  for (const [path] of write) if (runtimeOnly || !files.has(path)) plan.changes.push(`${files.has(path) ? '~' : '+'} ${path}`);
  for (const path of remove) plan.changes.push(`- ${path}`);
  if (plan.changes.length === 0) return plan;
  plan.status = 'pending';
  plan.script = firewalldApplyScript(write, remove);
  return plan;
}

function firewalldApplyScript(write: [string, string][], remove: string[]): string {
  // Each touched file keeps its previous version beside it as FILE.vprov-old (not *.xml:
  // firewalld never reads it), so a refused configuration is put back exactly where it was.
  const touched = [...write.map(([p]) => p), ...remove];
  const lines = [`mkdir -p ${IPSET_DIR} ${POLICY_DIR}`];
  for (const path of touched) lines.push(`rm -f ${q(`${path}.vprov-old`)}; if [ -f ${q(path)} ]; then cp -p ${q(path)} ${q(`${path}.vprov-old`)}; fi`);
  for (const [path, text] of write) lines.push(writeFileToWord(runTemp(path), text), `mv -f ${runTemp(path)} ${q(path)}`);
  for (const path of remove) lines.push(`rm -f ${q(path)}`);
  const restore = touched.map((p) => `if [ -f ${q(`${p}.vprov-old`)} ]; then mv -f ${q(`${p}.vprov-old`)} ${q(p)}; else rm -f ${q(p)}; fi`);
  // A configuration firewalld would refuse is rolled back before it is ever loaded.
  lines.push(
    `if ! out=$(firewall-offline-cmd --check-config 2>&1); then`,
    ...restore.map((l) => `  ${l}`),
    `  echo "firewalld refused the configuration, previous files restored: $out" >&2; exit 3`,
    `fi`,
    `rm -f ${touched.map((p) => q(`${p}.vprov-old`)).join(' ')}`,
    // plain --reload keeps established connections (ours included)
    reloadScript(),
  );
  return lines.join('\n');
}
