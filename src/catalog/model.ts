/** The loaded, cross-checked catalog: what the rest of vprov queries. */
import type { Flow, SelinuxMode } from '../core/types.js';

/** Host requirements; `section` is the document heading each was transcribed from. */
export interface Requirements {
  account?: { user: string; groups: string[]; sources: string[]; section: string };
  sudo: Record<string, { commands: string[]; sources: string[]; section: string }>;
  rootEquivalent: string[];
  selinux?: { mode: SelinuxMode; allowed: SelinuxMode[]; reason: string; sources: string[]; section: string };
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

export function getProduct(catalog: Catalog, id: string): Product | undefined {
  return catalog.products.get(id);
}

export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
