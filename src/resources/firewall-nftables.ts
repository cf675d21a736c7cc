/**
 * nftables backend: vprov owns `table inet vprov` and nothing else. The table is replaced
 * atomically in one `nft -f` transaction and persisted to /etc/vprov/vprov.nft (+ a systemd
 * unit where systemd runs). Drift = canonical listing vs the rendered desired table.
 */
import { dirname } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { boundedChanges, boundedDiff } from './change-lines.js';
import type { FirewallDesired, FirewallRule } from './firewall-desired.js';
import { addressInterval, familyOf, normalizeSources } from '../core/net.js';
import { canonicalFromJson, chainLine, ruleLine, rulesetItems, setLine, vprovSetElements, type Json, type NftRuleSpec } from './nft-canonical.js';
import { decodeBase64Fact, decodeFileFact, ensureDir, keyValues, q, readFileFact, RUN_VAR, runTemp, unreadableYesNo, writeFileToWord, yesNo } from './shell.js';
import { UnreadableFactError } from '../core/errors.js';
import { render } from '../core/templates.js';
import { nftForeign } from './nft-foreign.js';
import { emptyPlan, failedPlan, lineChanges, refusedPlan, type HostFacts, type ResourcePlan } from './types.js';

export const NFT_FILE = '/etc/vprov/vprov.nft';
const ROLLBACK_DIR = '/run/vprov';
export const NFT_UNIT = '/etc/systemd/system/vprov-nftables.service';
/** A drop-in of nftables.service: its start (not only restart, PartOf's part) reloads vprov's unit. */
export const NFT_DROPIN = '/etc/systemd/system/nftables.service.d/50-vprov.conf';

const ND_TYPES = ['nd-neighbor-advert', 'nd-neighbor-solicit', 'nd-router-advert'];

export interface NftTable {
  policy: 'accept' | 'drop';
  sets: { name: string; type: string; elements: string[] }[];
  rules: NftRuleSpec[];
}

/** Named sets of the SSH rules of a drop policy: inventory sources, and controllers kept live. */
export const SSH_SETS = { ipv4: 'vprov_ssh_v4', ipv6: 'vprov_ssh_v6' } as const;
export const LIVE_SETS = { ipv4: 'vprov_ssh_live_v4', ipv6: 'vprov_ssh_live_v6' } as const;
const FAMILIES = [
  ['ipv4', 'ip'],
  ['ipv6', 'ip6'],
] as const;

/**
 * The desired table as data. With a drop policy, SSH (on `sshPort`) stays open for the
 * inventory's `controllers` and `sshAdmins` (set vprov_ssh_*) and for `live` controller
 * addresses those do not cover (set vprov_ssh_live_*, never shrunk by vprov).
 */
export function desiredTable(fw: FirewallDesired, live: readonly string[], sshPort: number): NftTable {
  const rules: NftRuleSpec[] = [];
  const sets: NftTable['sets'] = fw.sets.map((s) => ({ name: s.name, type: s.family === 'ipv4' ? 'ipv4_addr' : 'ipv6_addr', elements: s.elements }));
  if (fw.inputPolicy === 'drop') {
    rules.push({ matches: [{ left: 'meta.iif', right: ['lo'] }], verdict: 'accept', comment: null });
    rules.push({ matches: [{ left: 'ct.state', right: ['established', 'related'] }], verdict: 'accept', comment: null });
    // IPv6 stops working without neighbour discovery.
    rules.push({ matches: [{ left: 'icmpv6.type', right: ND_TYPES }], verdict: 'accept', comment: null });
    const liveNormal = normalizeSources(live);
    for (const [family, proto] of FAMILIES) {
      for (const [name, elements, comment] of [
        [SSH_SETS[family], fw.sshAdminSources, 'vprov: ssh for controllers and admins'],
        [LIVE_SETS[family], liveNormal, 'vprov: ssh for a controller not in the inventory'],
      ] as const) {
        const mine = elements.filter((a) => familyOf(a) === family);
        if (mine.length === 0) continue;
        sets.push({ name, type: family === 'ipv4' ? 'ipv4_addr' : 'ipv6_addr', elements: mine });
        rules.push({
          matches: [
            { left: `${proto}.saddr`, right: [`@${name}`] },
            { left: 'tcp.dport', right: [String(sshPort)] },
          ],
          verdict: 'accept',
          comment,
        });
      }
    }
  }
  rules.push(...fw.rules.map(flowRule));
  return { policy: fw.inputPolicy, sets, rules };
}

/**
 * Controller addresses the live SSH sets keep: what they already hold (vprov never removes
 * an address another controller may be using) plus this session's, unless the inventory's
 * controllers/sshAdmins cover it.
 */
export function liveControllers(present: readonly string[], controller: string | null, permanent: readonly string[]): { kept: string[]; withOurs: string[] } {
  const kept = normalizeSources(present);
  if (!controller || covered(controller, [...permanent, ...kept])) return { kept, withOurs: kept };
  return { kept, withOurs: normalizeSources([...kept, controller]) };
}

function covered(address: string, by: readonly string[]): boolean {
  const a = addressInterval(address);
  return by.map(addressInterval).some((b) => b.family === a.family && b.lo <= a.lo && a.hi <= b.hi);
}

function flowRule(r: FirewallRule): NftRuleSpec {
  const fam = r.family === 'ipv4' ? 'ip' : 'ip6';
  const proto =
    r.protocol === 'icmp' ? { left: 'meta.l4proto', right: [r.family === 'ipv4' ? 'icmp' : 'ipv6-icmp'] } : { left: `${r.protocol}.dport`, right: r.ports };
  // nft comments are at most 128 bytes: name the first flow and count the rest.
  const comment = r.flows.length > 1 ? `${r.flows[0]} +${r.flows.length - 1}` : r.flows[0]!;
  return { matches: [{ left: `${fam}.saddr`, right: [`@${r.set}`] }, proto], verdict: 'accept', comment: comment.slice(0, 120) };
}

export function canonicalTable(t: NftTable): string[] {
  return [...tableForms(t).canonical];
}

export function renderTable(t: NftTable): string {
  return tableForms(t).text;
}

/**
 * A table's canonical lines and its file, by the table's content: every host of a role wants the
 * same table (its sets hold the same addresses), so a 2,000-host run computes each distinct table
 * once instead of once or twice per host. Bounded.
 */
const forms = new Map<string, { canonical: readonly string[]; text: string }>();
const FORMS_KEPT = 64;
/**
 * A frozen source list (compile shares one per flow among its hosts, frozen) stands in the key
 * by an id: its content cannot change, and writing out its thousands of addresses per host cost
 * about what the cache saves. Any other list is written out.
 */
const listIds = new WeakMap<readonly string[], number>();
let nextListId = 0;

function listKey(elements: readonly string[]): number | readonly string[] {
  if (!Object.isFrozen(elements)) return elements;
  let id = listIds.get(elements);
  if (id === undefined) listIds.set(elements, (id = nextListId++));
  return id;
}

function tableForms(t: NftTable): { canonical: readonly string[]; text: string } {
  const key = JSON.stringify([t.policy, t.sets.map((s) => [s.name, s.type, listKey(s.elements)]), t.rules]);
  let f = forms.get(key);
  if (!f) {
    f = {
      canonical: [chainLine(t.policy), ...t.sets.map((s) => setLine(s.name, `${s.type} flags interval`, s.elements)), ...t.rules.map(ruleLine)].sort(),
      text: render('nftables.hbs', { policy: t.policy, sets: t.sets, rules: t.rules.map(nftRuleText) }),
    };
    if (forms.size >= FORMS_KEPT) forms.clear();
    forms.set(key, f);
  }
  return f;
}

const NFT_SYNTAX: Record<string, string> = {
  'meta.iif': 'iif',
  'ct.state': 'ct state',
  'meta.l4proto': 'meta l4proto',
  'icmpv6.type': 'icmpv6 type',
};

function nftRuleText(r: NftRuleSpec): string {
  const parts = r.matches.map((m) => {
    const left = NFT_SYNTAX[m.left] ?? m.left.replace('.', ' ');
    const quoted = m.left === 'meta.iif' ? m.right.map((v) => `"${v}"`) : m.right;
    const right = m.left === 'ct.state' ? quoted.join(',') : quoted.length === 1 ? quoted[0]! : `{ ${quoted.join(', ')} }`;
    return `${left} ${right}`;
  });
  return `${parts.join(' ')} ${r.verdict}${r.comment ? ` comment "${r.comment}"` : ''}`;
}

export function nftFactsScript(): string {
  // One listing of the whole ruleset: vprov's table and the tables that may shadow it.
  // A listing that fails is reported with its error, never read as "no table". Stateless (-s):
  // rule counters (iptables-nft, libvirt, docker) count every packet, and facts that change with
  // traffic would make the apply lock's digest check, and every saved plan, stale.
  return [
    `if command -v nft >/dev/null 2>&1; then echo nft=yes`,
    `  if out=$(nft -s -j list ruleset 2>&1); then echo "ruleset=$(printf '%s' "$out" | base64 -w0)"; else echo "ruleset_error=$(printf '%s' "$out" | base64 -w0)"; fi`,
    `else echo nft=no; fi`,
    readFileFact('persisted', NFT_FILE),
    readFileFact('unit', NFT_UNIT),
    readFileFact('dropin', NFT_DROPIN),
  ].join('\n');
}

export interface NftFacts {
  installed: boolean;
  items: Record<string, Json>[];
  actual: string[] | null;
  persisted: string | null;
  unit: string | null;
  dropin: string | null;
}

/** Parsed nft facts (the nftables backend's part of the firewall section), or the reason they cannot be read. */
export function readNftFacts(raw: string | Record<string, string>): NftFacts | UnreadableFactError {
  const kv = typeof raw === 'string' ? keyValues(raw) : raw;
  let persisted: string | null, unit: string | null, dropin: string | null;
  try {
    persisted = decodeFileFact(kv.persisted, NFT_FILE);
    unit = decodeFileFact(kv.unit, NFT_UNIT);
    dropin = decodeFileFact(kv.dropin, NFT_DROPIN);
  } catch (err) {
    return err as UnreadableFactError;
  }
  // The facts script always prints nft=yes|no: a missing line is damaged output, never "not installed".
  if (kv.nft === undefined) return new UnreadableFactError("cannot read whether nft is installed from the host's facts: the nft= line is missing");
  const installed = yesNo(kv, 'nft');
  if (installed === undefined) return new UnreadableFactError(unreadableYesNo(kv, 'nft', 'whether nft is installed'));
  if (!installed) return { installed: false, items: [], actual: null, persisted, unit, dropin };
  if (kv.ruleset_error !== undefined)
    return new UnreadableFactError(`cannot read the nftables ruleset: ${decodeBase64Fact(kv.ruleset_error).trim() || 'nft failed'}`);
  if (kv.ruleset === undefined) return new UnreadableFactError('cannot read the nftables ruleset: no output from nft');
  let items: Record<string, Json>[];
  try {
    items = rulesetItems(decodeBase64Fact(kv.ruleset));
  } catch (err) {
    return new UnreadableFactError(`cannot read the nftables ruleset: unparsable JSON from nft -j (${(err as Error).message})`);
  }
  return { installed: true, items, actual: canonicalFromJson(items), persisted, unit, dropin };
}

/** Removal of vprov's nftables objects (table, persisted file, unit): no flow, or another backend. */
export function removeNftables(f: NftFacts, systemd: boolean, why: string): { changes: string[]; script: string } | null {
  if (f.actual === null && f.persisted === null && f.unit === null && f.dropin === null) return null;
  const units = f.unit !== null || f.dropin !== null;
  const changes = [
    ...(f.actual !== null ? [`- table inet vprov (${why})`] : []),
    ...(f.persisted !== null ? [`- ${NFT_FILE}`] : []),
    ...(f.unit !== null ? [`- ${NFT_UNIT}`] : []),
    ...(f.dropin !== null ? [`- ${NFT_DROPIN}`] : []),
  ];
  const script = [
    f.actual !== null ? 'nft delete table inet vprov' : '',
    f.unit !== null && systemd ? 'systemctl disable --now vprov-nftables.service >/dev/null 2>&1 || true' : '',
    `rm -f ${NFT_FILE} ${NFT_UNIT} ${NFT_DROPIN}`,
    // the drop-in directory only when nothing else is in it
    f.dropin !== null ? `rmdir ${dirname(NFT_DROPIN)} 2>/dev/null || true` : '',
    units && systemd ? 'systemctl daemon-reload' : '',
  ]
    .filter(Boolean)
    .join('\n');
  return { changes, script };
}

export function planNftables(facts: NftFacts, fw: FirewallDesired, host: HostFacts): ResourcePlan {
  const plan = emptyPlan('firewall');
  if (!facts.installed) return refusedPlan('firewall', 'nft is not installed on this host', 'nft is not installed; install nftables or set firewall: none');
  if (fw.inputPolicy === 'drop' && !host.controllerAddress) {
    // Lockout guard: without our own address we cannot keep our SSH session open.
    return refusedPlan(
      'firewall',
      'inputPolicy drop refused: the controller address is unknown (SSH_CONNECTION not set on the host)',
      'refusing a drop policy that could cut this SSH session: controller address unknown',
    );
  }
  const { actual, persisted, unit, dropin } = facts;
  plan.notes.push(...shadowNotes(facts.items));
  if (fw.inputPolicy === 'drop') {
    // Base chains all see every packet, and a drop anywhere wins: what other tables accept
    // (libvirt, docker, podman, fail2ban, kube-proxy, by hand) vprov's drop policy now drops.
    for (const a of nftForeign(facts.items).accepts) {
      plan.notes.push(
        `vprov's drop policy drops what table ${a.table} (chain ${a.chain}) accepts: ${a.text}; if this host needs it, add a site flow for it before applying`,
      );
    }
  }
  if (fw.rules.length === 0 && fw.inputPolicy === 'accept') {
    const removal = removeNftables(facts, host.systemd, 'no flow needs it any more');
    if (removal) {
      plan.changes.push(...removal.changes);
      plan.status = 'pending';
      plan.script = removal.script;
    }
    return plan;
  }

  const present = fw.inputPolicy === 'drop' ? [...vprovSetElements(facts.items, LIVE_SETS.ipv4), ...vprovSetElements(facts.items, LIVE_SETS.ipv6)] : [];
  let live: ReturnType<typeof liveControllers>;
  try {
    live = liveControllers(present, host.controllerAddress, fw.sshAdminSources);
  } catch (err) {
    return failedPlan('firewall', `cannot read the live SSH sets of table inet vprov: ${(err as Error).message}`);
  }
  // vprov's unit and nftables.service's drop-in: written together, either differing rewrites both.
  const units = [
    { path: NFT_UNIT, text: render('vprov-nftables.service.hbs', { path: NFT_FILE }), actual: unit, pending: PENDING_UNIT },
    { path: NFT_DROPIN, text: render('vprov-nftables-dropin.conf.hbs', {}), actual: dropin, pending: PENDING_DROPIN },
  ].map((u) => ({ ...u, tmp: runTemp(u.path) }));
  const staleUnits = host.systemd ? units.filter((u) => u.actual !== u.text) : [];
  const unitDiffers = staleUnits.length > 0;
  // This session's address is added only with another change: a controller that reached the
  // host is not a drift, and a second controller must not see one.
  const kept = desiredTable(fw, live.kept, host.sshPort);
  const inSync = actual !== null && lineChanges(canonicalTable(kept), actual).length === 0 && persisted === renderTable(kept) && !unitDiffers;
  if (inSync) return plan;

  const table = desiredTable(fw, live.withOurs, host.sshPort);
  const wanted = canonicalTable(table);
  const text = renderTable(table);
  if (actual === null) plan.changes.push('+ table inet vprov');
  plan.changes.push(...boundedChanges(lineChanges(wanted, actual ?? [])));
  const fileDiffers = persisted !== text;
  if (fileDiffers && plan.changes.length === 0) plan.changes.push(`~ ${NFT_FILE} (persisted copy differs from the live table)`);
  for (const u of staleUnits) plan.changes.push(`${u.actual === null ? '+' : '~'} ${u.path}`);
  if (fileDiffers)
    plan.diff = boundedDiff(
      createTwoFilesPatch(persisted === null ? '/dev/null' : NFT_FILE, NFT_FILE, persisted ?? '', text, undefined, undefined, { context: 2 }),
    );
  if (plan.changes.length === 0) return plan;

  plan.status = 'pending';
  const tmp = runTemp(NFT_FILE);
  // A drop policy (now or before) can cut SSH: arm a rollback that only a new session cancels,
  // and persist (file and unit) only once it is cancelled, so a reboot cannot bring back a
  // table that cut SSH.
  const risky = fw.inputPolicy === 'drop' || (actual ?? []).some((l) => l.includes('policy drop'));
  // --now: an inactive unit is not restarted with nftables.service (PartOf), so its flush would stick.
  // The units are staged at their temp names, or in /run/vprov while a rollback is armed.
  const staged = (u: (typeof units)[number], pending: boolean) => (pending ? q(u.pending) : u.tmp);
  const persist = (file: string, pending: boolean) =>
    [
      `mv -f ${file} ${NFT_FILE}`,
      unitDiffers
        ? [
            ...units.map((u) => `mv -f ${staged(u, pending)} ${u.path}`),
            'systemctl daemon-reload',
            'systemctl enable --now vprov-nftables.service >/dev/null 2>&1',
          ].join('\n')
        : '',
    ]
      .filter(Boolean)
      .join('\n');
  const writeUnits = (pending: boolean) => (unitDiffers ? units.map((u) => writeFileToWord(staged(u, pending), u.text)).join('\n') : '');
  // nft -f is one transaction (all or nothing): a table nft rejects changes nothing. Checked
  // apart (nft -c) only before arming a rollback, which a rejected table must not arm.
  const load = (cmd: string) => `if ! out=$(${cmd} -f ${tmp} 2>&1); then rm -f ${tmp}; echo "nft rejected the rendered table: $out" >&2; exit 3; fi`;
  plan.script = [
    ensureDir('/etc/vprov'),
    unitDiffers ? ensureDir(dirname(NFT_DROPIN)) : '',
    writeFileToWord(tmp, text),
    risky ? [load('nft -c'), armRollbackScript(fw.confirmTimeout), `nft -f ${tmp}`].join('\n') : load('nft'),
    risky ? [`mv -f ${tmp} ${PENDING_NFT}`, writeUnits(true)].filter(Boolean).join('\n') : [writeUnits(false), persist(tmp, false)].filter(Boolean).join('\n'),
  ]
    .filter(Boolean)
    .join('\n');
  if (risky) plan.confirmScript = confirmRollbackScript(persist(PENDING_NFT, true));
  return plan;
}

/**
 * The "armed" marker of one run's change: rollback.armed.RUN. Each timer and each confirmation
 * acts on its own run's marker only, so the timer of an earlier change (confirmed, still
 * sleeping) never fires a later change's rollback, and one run's confirmation never confirms
 * another run's change.
 */
const ARMED_PREFIX = `${ROLLBACK_DIR}/rollback.armed`;
const ARMED = `${ARMED_PREFIX}."\${${RUN_VAR}:-0}"`;
const PENDING_NFT = `${ROLLBACK_DIR}/pending.nft`;
const PENDING_UNIT = `${ROLLBACK_DIR}/pending.service`;
const PENDING_DROPIN = `${ROLLBACK_DIR}/pending-dropin.conf`;
/** The table as it was before a risky change: kept only while the rollback is armed (a stale copy of an old ruleset is not left behind). */
const SAVED_NFT = `${ROLLBACK_DIR}/rollback.nft`;
/** What an armed rollback may leave staged: dropped when it fires, or replaced by the next arm. */
const PENDING_ALL = `${PENDING_NFT} ${PENDING_UNIT} ${PENDING_DROPIN}`;

/**
 * Save the live table (or its absence) and restore it after `seconds` unless confirmed.
 * Whoever renames the run's "armed" file first wins (rename is atomic): the timer restores the
 * table and drops the pending persistence, or the confirmation persists it; never both.
 * A change still unconfirmed from an earlier run is superseded (its marker renamed away, so its
 * timer finds nothing to fire) and the table it saved, the last confirmed one, stays the rollback.
 */
export function armRollbackScript(seconds: number): string {
  return [
    `mkdir -p ${ROLLBACK_DIR}`,
    `rm -f ${PENDING_ALL}`,
    'vprov_superseded=',
    // the bare name: a marker armed by a vprov from before markers were per run
    `for f in ${ARMED_PREFIX} ${ARMED_PREFIX}.*; do case $f in *.fired|*.confirmed) continue ;; esac; if mv "$f" "$f.superseded" 2>/dev/null; then rm -f "$f.superseded"; vprov_superseded=1; fi; done`,
    `[ -n "$vprov_superseded" ] && [ -e ${SAVED_NFT} ] || { echo 'table inet vprov'; echo 'delete table inet vprov'; nft list table inet vprov 2>/dev/null || true; } > ${SAVED_NFT}`,
    `touch ${ARMED}`,
    // setsid: the timer must outlive this SSH channel. 9>&-: it must not keep the apply lock's
    // descriptor (the lock covers the write phase only; the next apply must not wait the confirm window).
    // The marker's name is passed as $1: the run id is expanded here, not in the timer's shell.
    `setsid sh -c 'sleep ${seconds}; if mv "$1" "$1.fired" 2>/dev/null; then nft -f ${SAVED_NFT}; rm -f "$1.fired" ${SAVED_NFT} ${PENDING_ALL}; fi' vprov-rollback ${ARMED} </dev/null >/dev/null 2>&1 9>&- &`,
  ].join('\n');
}

/** Run over a NEW connection (with the run's VPROV_RUN set, as in its apply script): cancels the rollback, then persists what was applied. */
export function confirmRollbackScript(persist: string): string {
  return [
    `if mv ${ARMED} ${ARMED}.confirmed 2>/dev/null; then`,
    persist,
    `rm -f ${ARMED}.confirmed ${SAVED_NFT}; echo confirmed`,
    `else echo 'too late: the rollback timer already restored the previous table' >&2; fi`,
  ].join('\n');
}

/**
 * Other tables whose input hook drops — by policy, or by a final drop/reject rule (firewalld's
 * own table, an iptables-nft `-j REJECT`) — make our accepts useless: say so, touch nothing.
 */
export function shadowNotes(items: Record<string, Json>[]): string[] {
  const notes: string[] = [];
  const rules = items.map((i) => i.rule as Record<string, Json> | undefined).filter((r): r is Record<string, Json> => !!r);
  for (const c of items.map((i) => i.chain as Record<string, Json> | undefined)) {
    if (c?.hook !== 'input' || (c.family === 'inet' && c.table === 'vprov')) continue;
    const where = `table ${String(c.family)} ${String(c.table)} (chain ${String(c.name)}`;
    if (c.policy === 'drop') {
      notes.push(`shadowed by ${where} drops by policy): vprov's accepts only take effect where that table accepts too`);
      continue;
    }
    const own = rules.filter((r) => r.family === c.family && r.table === c.table && r.chain === c.name);
    const last = own[own.length - 1];
    const verdict = last ? finalVerdict(last.expr as Json[]) : null;
    if (verdict) notes.push(`shadowed by ${where} ends in a ${verdict} rule): vprov's accepts only take effect where that table accepts too`);
  }
  return notes;
}

/** "drop"/"reject" when a rule's verdict is one (native, or an iptables-nft xt target). */
function finalVerdict(expr: Json[] | undefined): string | null {
  const last = (expr ?? [])[(expr ?? []).length - 1];
  if (!last || typeof last !== 'object' || Array.isArray(last)) return null;
  if ('drop' in last) return 'drop';
  if ('reject' in last) return 'reject';
  if ('xt' in last) {
    const name = String((last.xt as Record<string, Json>)?.name ?? '').toUpperCase();
    if (name === 'REJECT' || name === 'DROP') return name.toLowerCase();
  }
  return null;
}
