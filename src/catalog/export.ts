/** The export shape of DESIGN.md §3: one object per documented flow. */
import type { Catalog } from './model.js';

export interface ExportedRule {
  product: string;
  platform: string | null;
  platformTitle: string | null;
  method: string | null;
  from: string;
  to: string;
  protocol: string;
  ports: string[];
  purpose: string;
  condition: string | null;
  sources: string[];
}

export function exportRules(catalog: Catalog): ExportedRule[] {
  return [...catalog.products.values()].flatMap((p) =>
    p.flows.map((f) => ({
      product: f.product,
      platform: f.platform,
      platformTitle: f.platformTitle,
      method: f.method,
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
