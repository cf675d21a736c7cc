/**
 * --limit patterns as Ansible users write them: comma/colon lists of host names, group
 * names and globs, "!x" excludes, "&x" intersects. Pure.
 */
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import type { InventoryFile } from './schema.js';

export function selectHosts(data: Pick<InventoryFile, 'hosts' | 'groups'>, pattern: string | undefined): string[] {
  const all = Object.keys(data.hosts).sort();
  if (pattern === undefined || pattern === 'all') return all;
  const terms = pattern
    .split(/[,:]/)
    .map((t) => t.trim())
    .filter(Boolean);
  // A script whose variable expanded to nothing must not reach the whole fleet.
  if (terms.length === 0) throw new InputError(`--limit: empty pattern "${pattern}"; leave --limit out (or write --limit all) to select every host`);
  const include = terms.filter((t) => !t.startsWith('!') && !t.startsWith('&'));
  let selected = new Set(include.length > 0 ? include.flatMap((t) => expand(data, t, all)) : all);
  for (const t of terms.filter((t) => t.startsWith('&'))) {
    const keep = new Set(expand(data, t.slice(1), all));
    selected = new Set([...selected].filter((h) => keep.has(h)));
  }
  for (const t of terms.filter((t) => t.startsWith('!'))) {
    for (const h of expand(data, t.slice(1), all)) selected.delete(h);
  }
  return all.filter((h) => selected.has(h));
}

function expand(data: Pick<InventoryFile, 'hosts' | 'groups'>, term: string, all: string[], seen = new Set<string>()): string[] {
  if (term === 'all' || term === '*') return all;
  if (term in data.hosts) return [term];
  if (term in data.groups) {
    if (seen.has(term)) throw new InputError(`--limit: group "${term}" includes itself`);
    seen.add(term);
    return data.groups[term]!.flatMap((m) => expand(data, m, all, seen));
  }
  if (/[*?[]/.test(term)) {
    const re = globToRegExp(term);
    const hits = [...all, ...Object.keys(data.groups)].filter((n) => re.test(n));
    return hits.flatMap((n) => (n in data.hosts ? [n] : expand(data, n, all, seen)));
  }
  throw new InputError(
    `--limit: "${term}" matches no host or group (hosts: ${all.slice(0, 10).join(', ')}${all.length > 10 ? ', …' : ''})${didYouMean(term, [...all, ...Object.keys(data.groups)])}`,
  );
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}
