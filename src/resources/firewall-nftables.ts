/**
 * nftables backend: vprov owns `table inet vprov` and nothing else. The table is replaced
 * atomically in one `nft -f` transaction and persisted to /etc/vprov/vprov.nft (+ a systemd
 * unit where systemd runs). Drift = canonical listing vs the rendered desired table.
 */
import { createTwoFilesPatch } from 'diff';
import type { FirewallDesired, FirewallRule } from '../core/types.js';
import { canonicalAddress, familyOf } from '../core/net.js';
import { canonicalFromJson, chainLine, ruleLine, setLine, type NftRuleSpec } from './nft-canonical.js';
import { decodeFileFact, keyValues, readFileCmd, runTemp, writeFileToWord } from './shell.js';
import { render } from '../core/templates.js';
import { emptyPlan, lineChanges, refusedPlan, type HostFacts, type ResourcePlan } from './types.js';

export const NFT_FILE = '/etc/vprov/vprov.nft';
const ROLLBACK_DIR = '/run/vprov';
export const NFT_UNIT = '/etc/systemd/system/vprov-nftables.service';

const ND_TYPES = ['nd-neighbor-advert', 'nd-neighbor-solicit', 'nd-router-advert'];

export interface NftTable {
  policy: 'accept' | 'drop';
  sets: { name: string; type: string; elements: string[] }[];
  rules: NftRuleSpec[];
}

/** The desired table as data. `sshPort`/controller keep our own access when the policy drops. */
export function desiredTable(fw: FirewallDesired, controller: string | null, sshPort: number): NftTable {
  const rules: NftRuleSpec[] = [];
  if (fw.inputPolicy === 'drop') {
    rules.push({ matches: [{ left: 'meta.iif', right: ['lo'] }], verdict: 'accept', comment: null });
    rules.push({ matches: [{ left: 'ct.state', right: ['established', 'related'] }], verdict: 'accept', comment: null });
    // IPv6 stops working without neighbour discovery.
    rules.push({ matches: [{ left: 'icmpv6.type', right: ND_TYPES }], verdict: 'accept', comment: null });
    const admins = [...new Set([...(controller ? [canonicalAddress(controller)] : []), ...fw.sshAdminSources])];
    for (const [family, proto] of [['ipv4', 'ip'], ['ipv6', 'ip6']] as const) {
      const mine = admins.filter((a) => familyOf(a) === family).sort();
      if (mine.length > 0) {
        rules.push({
          matches: [
            { left: `${proto}.saddr`, right: mine },
            { left: 'tcp.dport', right: [String(sshPort)] },
          ],
          verdict: 'accept',
          comment: 'vprov: ssh for controller and admins',
        });
      }
    }
  }
  rules.push(...fw.rules.map(flowRule));
  return {
    policy: fw.inputPolicy,
    sets: fw.sets.map((s) => ({ name: s.name, type: s.family === 'ipv4' ? 'ipv4_addr' : 'ipv6_addr', elements: s.elements })),
    rules,
  };
}

function flowRule(r: FirewallRule): NftRuleSpec {
  const fam = r.family === 'ipv4' ? 'ip' : 'ip6';
  const proto =
    r.protocol === 'icmp'
      ? { left: 'meta.l4proto', right: [r.family === 'ipv4' ? 'icmp' : 'ipv6-icmp'] }
      : { left: `${r.protocol}.dport`, right: r.ports };
  // nft comments are at most 128 bytes: name the first flow and count the rest.
  const comment = r.flows.length > 1 ? `${r.flows[0]} +${r.flows.length - 1}` : r.flows[0]!;
  return { matches: [{ left: `${fam}.saddr`, right: [`@${r.set}`] }, proto], verdict: 'accept', comment: comment.slice(0, 120) };
}

export function canonicalTable(t: NftTable): string[] {
  return [
    chainLine(t.policy),
    ...t.sets.map((s) => setLine(s.name, `${s.type} flags interval`, s.elements)),
    ...t.rules.map(ruleLine),
  ].sort();
}

export function renderTable(t: NftTable): string {
  return render('nftables.hbs', { policy: t.policy, sets: t.sets, rules: t.rules.map(nftRuleText) });
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
  return [
    `if command -v nft >/dev/null 2>&1; then echo nft=yes; else echo nft=no; fi`,
    `echo "table=$(nft -j list table inet vprov 2>/dev/null | base64 -w0)"`,
    `echo "chains=$(nft -j list chains 2>/dev/null | base64 -w0)"`,
    `echo "persisted=$(${readFileCmd(NFT_FILE)})"`,
    `echo "unit=$(${readFileCmd(NFT_UNIT)})"`,
  ].join('\n');
}

export function planNftables(raw: string, fw: FirewallDesired, host: HostFacts): ResourcePlan {
  const plan = emptyPlan('firewall');
  const kv = keyValues(raw);
  const b64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');
  if (kv.nft !== 'yes') return refusedPlan('firewall', 'nft is not installed on this host', 'nft is not installed; install nftables or set firewall: none');
  if (fw.inputPolicy === 'drop' && !host.controllerAddress) {
    // Lockout guard: without our own address we cannot keep our SSH session open.
    return refusedPlan(
      'firewall',
      'inputPolicy drop refused: the controller address is unknown (SSH_CONNECTION not set on the host)',
      'refusing a drop policy that could cut this SSH session: controller address unknown',
    );
  }
  const table = desiredTable(fw, host.controllerAddress, host.sshPort);
  const empty = fw.rules.length === 0 && fw.inputPolicy === 'accept';
  const actual = canonicalFromJson(b64(kv.table));
  const wanted = empty ? null : canonicalTable(table);
  plan.notes.push(...shadowNotes(b64(kv.chains)));
  const persisted = decodeFileFact(kv.persisted);
  const unit = decodeFileFact(kv.unit);

  if (wanted === null) {
    if (actual !== null || persisted !== null || unit !== null) {
      plan.changes.push('- table inet vprov (no flow needs it any more)');
      plan.status = 'pending';
      plan.script = [
        actual !== null ? 'nft delete table inet vprov' : '',
        unit !== null && host.systemd ? 'systemctl disable --now vprov-nftables.service >/dev/null 2>&1 || true' : '',
        `rm -f ${NFT_FILE} ${NFT_UNIT}`,
      ].filter(Boolean).join('\n');
    }
    return plan;
  }

  const text = renderTable(table);
  const unitText = render('vprov-nftables.service.hbs', { path: NFT_FILE });
  if (actual === null) plan.changes.push('+ table inet vprov');
  plan.changes.push(...lineChanges(wanted, actual ?? []));
  const fileDiffers = persisted !== text;
  if (fileDiffers && plan.changes.length === 0) plan.changes.push(`~ ${NFT_FILE} (persisted copy differs from the live table)`);
  const unitDiffers = host.systemd && unit !== unitText;
  if (unitDiffers) plan.changes.push(`${unit === null ? '+' : '~'} ${NFT_UNIT}`);
  if (fileDiffers) plan.diff = createTwoFilesPatch(persisted === null ? '/dev/null' : NFT_FILE, NFT_FILE, persisted ?? '', text, undefined, undefined, { context: 2 });
  if (plan.changes.length === 0) return plan;

  plan.status = 'pending';
  const tmp = runTemp(NFT_FILE);
  // A drop policy (now or before) can cut SSH: arm a rollback that only a new session cancels.
  const risky = fw.inputPolicy === 'drop' || (actual ?? []).some((l) => l.includes('policy drop'));
  if (risky) plan.confirmScript = confirmRollbackScript();
  plan.script = [
    `mkdir -p /etc/vprov`,
    writeFileToWord(tmp, text),
    `if ! out=$(nft -c -f ${tmp} 2>&1); then rm -f ${tmp}; echo "nft rejected the rendered table: $out" >&2; exit 3; fi`,
    risky ? armRollbackScript(fw.confirmTimeout) : '',
    `nft -f ${tmp}`,
    `mv -f ${tmp} ${NFT_FILE}`,
    // --now: an inactive unit is not restarted with nftables.service (PartOf), so its flush would stick.
    unitDiffers ? [writeFileToWord(runTemp(NFT_UNIT), unitText), `mv -f ${runTemp(NFT_UNIT)} ${NFT_UNIT}`, 'systemctl daemon-reload', 'systemctl enable --now vprov-nftables.service >/dev/null 2>&1'].join('\n') : '',
  ].filter(Boolean).join('\n');
  return plan;
}

/**
 * Save the live table (or its absence) and restore it after `seconds` unless confirmed.
 * The timer restores only while the "armed" file exists: confirming removes the file first,
 * so a confirm racing the timer can never trigger the rollback.
 */
export function armRollbackScript(seconds: number): string {
  const armed = `${ROLLBACK_DIR}/rollback.armed`;
  return [
    `mkdir -p ${ROLLBACK_DIR}`,
    `{ echo 'table inet vprov'; echo 'delete table inet vprov'; nft list table inet vprov 2>/dev/null || true; } > ${ROLLBACK_DIR}/rollback.nft`,
    `touch ${armed}`,
    // setsid: the timer must outlive this SSH channel.
    `setsid sh -c 'sleep ${seconds}; if [ -f ${armed} ]; then nft -f ${ROLLBACK_DIR}/rollback.nft; rm -f ${armed}; fi' </dev/null >/dev/null 2>&1 &`,
  ].join('\n');
}

export function confirmRollbackScript(): string {
  return `rm -f ${ROLLBACK_DIR}/rollback.armed; echo confirmed`;
}

/** Other tables whose input hook drops by policy make our accepts useless: say so, touch nothing. */
export function shadowNotes(chainsJson: string): string[] {
  let doc: { nftables?: { chain?: { family: string; table: string; name: string; hook?: string; policy?: string } }[] };
  try {
    doc = JSON.parse(chainsJson || '{}');
  } catch {
    return [];
  }
  return (doc.nftables ?? [])
    .map((i) => i.chain)
    .filter((c): c is NonNullable<typeof c> => !!c && c.hook === 'input' && c.policy === 'drop' && !(c.family === 'inet' && c.table === 'vprov'))
    .map((c) => `shadowed by table ${c.family} ${c.table} (chain ${c.name} drops by policy): vprov's accepts only take effect where that table accepts too`);
}


