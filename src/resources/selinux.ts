/**
 * SELinux: the persistent mode (/etc/selinux/config) and the runtime mode (getenforce /
 * setenforce) are separate facts and separate changes (docs/design.md §6). disabled ↔ enabled
 * is reported as "reboot required" and never forced.
 */
import type { SelinuxMode } from '../core/types.js';
import { decodeFileFact, keyValues, readFileFact, runTemp, writeFileToWord } from './shell.js';
import { emptyPlan } from './types.js';
import { askingProducts, union, type ResourceModule, type RowBase } from './module.js';

export interface SelinuxDesired {
  mode: SelinuxMode | 'keep';
}

declare module '../core/types.js' {
  interface DesiredSlices {
    selinux: SelinuxDesired;
  }
}

export type SelinuxRow = RowBase & { kind: 'selinux'; mode: SelinuxMode; documented: SelinuxMode | null };

export const SELINUX_CONFIG = '/etc/selinux/config';

export interface SelinuxFacts {
  config: string | null;
  kernel: boolean;
  runtime: SelinuxMode | null;
}

export function parseSelinuxFacts(raw: string): SelinuxFacts {
  const kv = keyValues(raw);
  const runtime = (kv.runtime ?? '').trim().toLowerCase();
  return {
    config: decodeFileFact(kv.config, SELINUX_CONFIG),
    kernel: kv.kernel === 'yes',
    runtime: runtime === 'enforcing' || runtime === 'permissive' || runtime === 'disabled' ? runtime : null,
  };
}

export function configMode(config: string): string | null {
  const m = /^\s*SELINUX\s*=\s*"?([A-Za-z]+)"?\s*$/m.exec(config);
  return m ? m[1]!.toLowerCase() : null;
}

export function withConfigMode(config: string, mode: SelinuxMode): string {
  if (/^\s*SELINUX\s*=.*$/m.test(config)) return config.replace(/^\s*SELINUX\s*=.*$/m, `SELINUX=${mode}`);
  return `${config}${config.endsWith('\n') || config === '' ? '' : '\n'}SELINUX=${mode}\n`;
}

export const selinuxResource: ResourceModule<'selinux', SelinuxFacts, SelinuxRow> = {
  kind: 'selinux',
  evidence: { kind: 'selinux', group: 'selinux', title: 'SELinux mode' },
  everyHost: true,
  // keep: no product asks anything of the host, or the inventory says so
  desired: ({ union }) => ({ mode: union.selinuxMode }),

  probe(desired) {
    if (desired.selinux.mode === 'keep') return '';
    return [
      readFileFact('config', SELINUX_CONFIG),
      // Read by the shell itself (lines are "[nodev]<TAB>name"): a grep here would cost an exec per run.
      `vprov_selinuxfs=no; while read -r vprov_a vprov_b; do if [ "$vprov_a" = selinuxfs ] || [ "$vprov_b" = selinuxfs ]; then vprov_selinuxfs=yes; fi; done < /proc/filesystems`,
      `echo "kernel=$vprov_selinuxfs"`,
      `if command -v getenforce >/dev/null 2>&1; then echo "runtime=$(getenforce 2>/dev/null)"; fi`,
    ].join('\n');
  },

  parse: (raw, desired) => (desired.selinux.mode === 'keep' ? { config: null, kernel: false, runtime: null } : parseSelinuxFacts(raw)),

  plan(facts, desired) {
    const wanted = desired.selinux.mode;
    const plan = emptyPlan('selinux');
    if (wanted === 'keep') {
      plan.notes.push('mode kept as found (selinux: keep)');
      return plan;
    }
    if (facts.config === null) {
      plan.status = 'not-applicable';
      plan.notes.push(`not applicable: no ${SELINUX_CONFIG} (no SELinux userland)`);
      return plan;
    }
    const persistent = configMode(facts.config);
    const script: string[] = [];
    if (persistent !== wanted) {
      plan.changes.push(`~ ${SELINUX_CONFIG}: SELINUX=${persistent ?? '(unset)'} → ${wanted}`);
      const tmp = runTemp(SELINUX_CONFIG);
      script.push(writeFileToWord(tmp, withConfigMode(facts.config, wanted)), `chmod --reference=${SELINUX_CONFIG} ${tmp}`, `mv -f ${tmp} ${SELINUX_CONFIG}`);
    }
    if (!facts.kernel) {
      plan.notes.push('runtime: not applicable (kernel without SELinux); config file managed');
    } else {
      const runtime = facts.runtime ?? 'disabled';
      if ((runtime === 'disabled') !== (wanted === 'disabled')) {
        plan.rebootRequired = true;
        plan.changes.push(`! runtime ${runtime} → ${wanted}: reboot required${runtime === 'disabled' ? ' (with relabel)' : ''}; vprov does not reboot`);
      } else if (runtime !== wanted) {
        plan.changes.push(`~ runtime ${runtime} → ${wanted} (setenforce)`);
        script.push(`setenforce ${wanted === 'enforcing' ? 1 : 0}`);
      }
    }
    if (script.length > 0) {
      plan.status = 'pending';
      plan.script = script.join('\n');
    }
    return plan;
  },

  requirements(ctx, h) {
    if (!h) return { rows: [], notApplied: [] };
    const selinux = askingProducts(ctx.inv, h).flatMap((sp) => (sp.product.requirements.selinux ? [sp.product.requirements.selinux] : []));
    if (h.selinux.mode !== 'keep') {
      // A mode set on a host no product asks it of still cites what the products document.
      if (selinux.length === 0) selinux.push(...ctx.inv.products.flatMap((sp) => (sp.product.requirements.selinux ? [sp.product.requirements.selinux] : [])));
      const modes = new Set(selinux.map((x) => x.mode));
      const row: SelinuxRow = {
        id: `selinux@${h.name}`,
        kind: 'selinux',
        host: h.name,
        managed: h.managed,
        documents: union(selinux.map((x) => x.sources)),
        section: [...new Set(selinux.map((x) => x.section))].join('; '),
        mode: h.selinux.mode,
        documented: modes.size === 1 ? [...modes][0]! : null,
      };
      return { rows: [row], notApplied: [] };
    }
    return {
      rows: [],
      notApplied: selinux.map((x) => ({
        kind: 'selinux',
        requirement: `SELinux ${x.mode} on ${h.name}`,
        status: 'not applied' as const,
        reason: 'selinux: keep in the inventory (the mode is left as found)',
        documents: x.sources,
        section: x.section,
      })),
    };
  },

  describe: (row) => ({
    requirement: `SELinux ${row.mode}${row.documented && row.documented !== row.mode ? ` (inventory; documented: ${row.documented})` : ''}`,
  }),

  judge(row, f) {
    const runtime = f.kernel ? (f.runtime ?? 'disabled') : null;
    const persistent = f.config === null ? null : configMode(f.config);
    const found = [
      `getenforce: ${f.runtime ?? '(not installed)'}${f.kernel ? '' : ' (kernel without SELinux: runtime not applicable)'}`,
      f.config === null ? `${SELINUX_CONFIG}: absent` : `${SELINUX_CONFIG}: SELINUX=${persistent ?? '(unset)'}`,
    ];
    if (f.config === null) return { verdict: 'not applicable', found, reason: `no ${SELINUX_CONFIG} (no SELinux userland)` };
    if (persistent !== row.mode) return { verdict: 'not met', found, reason: `${SELINUX_CONFIG} says ${persistent ?? 'nothing'}, ${row.mode} wanted` };
    if (runtime !== null && runtime !== row.mode) return { verdict: 'not met', found, reason: `running ${runtime}, ${row.mode} wanted` };
    return { verdict: 'met', found };
  },
};
