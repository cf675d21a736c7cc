/** The export shape of docs/design.md §3: one object per documented flow, with its provenance. */
import type { Flow } from '../core/types.js';
import type { Catalog } from './model.js';

/** A host requirement as exported: what, on which roles, in the document's words, with its provenance. */
export interface ExportedHostRequirement {
  product: string;
  resource: string;
  id: string;
  roles: string[];
  statement: string;
  section: string;
  sources: string[];
}

export function exportHostRequirements(catalog: Catalog): ExportedHostRequirement[] {
  return [...catalog.products.values()].flatMap((p) =>
    p.requirements.host.map((h) => ({
      product: p.id,
      resource: h.resource,
      id: h.id,
      roles: [...h.roles],
      statement: h.statement,
      section: h.section,
      sources: [...h.sources],
    })),
  );
}

/** A flow as exported: everything but vprov's own id. */
export type ExportedRule = Omit<Flow, 'id'>;

export function exportRules(catalog: Catalog): ExportedRule[] {
  return [...catalog.products.values()].flatMap((p) =>
    p.flows.map((f) => ({
      product: f.product,
      platform: f.platform,
      platformTitle: f.platformTitle,
      method: f.method,
      section: f.section,
      from: f.from,
      to: f.to,
      protocol: f.protocol,
      ports: [...f.ports],
      purpose: f.purpose,
      condition: f.condition,
      sources: [...f.sources],
    })),
  );
}
