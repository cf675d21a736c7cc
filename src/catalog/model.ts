/** The loaded, cross-checked catalog: what the rest of vprov queries. */
import type { Flow, SelinuxMode } from '../core/types.js';
import { normalName } from '../core/suggest.js';

/** Host requirements; `section` is the document heading each was transcribed from. */
export interface Requirements {
  account?: { user: string; groups: string[]; home?: string; shell?: string; sources: string[]; section: string };
  sudo: Record<string, { commands: string[]; sources: string[]; section: string }>;
  rootEquivalent: string[];
  /** host requirements beyond ports, each for the resource module named by `resource` */
  host: HostRequirement[];
  selinux?: { mode: SelinuxMode; allowed: SelinuxMode[]; reason: string; sources: string[]; section: string };
}

/** A host requirement beyond ports, in the document's words, checked by resource module `resource`. */
export interface HostRequirement {
  resource: string;
  id: string;
  roles: string[];
  statement: string;
  sources: string[];
  section: string;
}

/** Where a catalog file names no section for a host requirement. */
export const REQUIREMENTS_SECTION = 'Security Requirements';

export interface Product {
  id: string;
  title: string;
  file: string;
  documents: Record<string, string>;
  roles: Record<string, string>;
  conditions: Record<string, string>;
  params: Record<string, { default: string[]; description: string }>;
  platforms: { id: string; title: string; methods: (string | null)[] }[];
  flows: (Flow & { param: string | null; note?: string })[];
  requirements: Requirements;
}

export interface Catalog {
  products: Map<string, Product>;
}

export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** A method's document headings beside its title: "SSH Transfer" where the title is "SSH transfer". */
export function methodHeadings(product: Product, platformId: string, title: string | null): string[] {
  const platform = product.platforms.find((p) => p.id === platformId);
  const out = new Set<string>();
  for (const f of product.flows) {
    if (f.platform !== platformId || f.method !== title) continue;
    const prefix = `${platform?.title ?? ''} / `;
    if (f.section.startsWith(prefix)) out.add(f.section.slice(prefix.length));
  }
  if (title !== null) out.delete(title);
  return [...out];
}

/**
 * The title of the method of `platformId` that `input` names: the same ignoring case and
 * punctuation, by its title or by a document's own heading for it. undefined when none does.
 */
export function findMethod(product: Product, platformId: string, input: string): string | undefined {
  const norm = normalName;
  const want = norm(input);
  const platform = product.platforms.find((p) => p.id === platformId);
  for (const m of platform?.methods ?? []) {
    if (m === null) continue;
    if (norm(m) === want || methodHeadings(product, platformId, m).some((h) => norm(h) === want)) return m;
  }
  return undefined;
}
