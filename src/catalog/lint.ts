/**
 * `catalog lint`: the catalog loaded (schema + cross-checks already passed), then the
 * quirks of the source documents that an operator should know about. Pure.
 */
import type { Catalog } from './model.js';
import { isRootEquivalent } from '../core/root-equivalent.js';

export interface LintFinding {
  level: 'warning' | 'info';
  product: string;
  message: string;
}

export function lintCatalog(catalog: Catalog): LintFinding[] {
  const out: LintFinding[] = [];
  for (const p of catalog.products.values()) {
    const add = (level: LintFinding['level'], message: string) => out.push({ level, product: p.id, message });
    for (const [role, sudo] of Object.entries(p.requirements.sudo)) {
      const risky = sudo.commands.filter(isRootEquivalent);
      if (risky.length > 0) add('warning', `sudo for role ${role}: root-equivalent commands as documented by the vendor: ${risky.join(', ')}`);
      const unflagged = risky.filter((c) => !p.requirements.rootEquivalent.includes(c));
      if (unflagged.length > 0) add('warning', `sudo for role ${role}: not listed in requirements.rootEquivalent: ${unflagged.join(', ')}`);
    }
    for (const f of p.flows) {
      if (/slip/i.test(f.note ?? '')) add('warning', `${f.id} (${f.section}): ${f.note}`);
    }
    for (const [name, param] of Object.entries(p.params)) {
      const flows = p.flows.filter((f) => f.param === name);
      add(
        'info',
        `port parameter ${name} (${param.description}): default ${param.default.join(', ')}, overridable with ports.${name} in the inventory; used by ${flows.length} flow(s)`,
      );
    }
    const seen = new Map<string, (typeof p.flows)[number]>();
    for (const f of p.flows.filter((x) => x.protocol !== 'icmp')) {
      const key = `${f.platform}|${f.section}|${f.from}|${f.to}|${f.ports.join(',')}`;
      const other = seen.get(key);
      if (other && other.protocol !== f.protocol) {
        // A row that names no transport is listed for both by vprov; one that names both is the document's.
        const unstated = [other, f].some((x) => /no transport/i.test(x.note ?? ''));
        const what = unstated
          ? `${f.ports.join(',')} has no transport in the document (listed for TCP and UDP)`
          : `${f.ports.join(',')} is documented for both TCP and UDP`;
        add('info', `${f.section}: ${f.from} → ${f.to} ${what}`);
      }
      seen.set(key, f);
    }
    for (const f of p.flows.filter((x) => x.sources.length === 0)) add('warning', `${f.id} has no source document`);
  }
  return out;
}
