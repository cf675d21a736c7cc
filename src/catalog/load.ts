/** Load every catalog/*.yaml, validate it (zod) and cross-check it. Errors name file:line: path: reason. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../core/errors.js';
import { locate, parseYaml, validate, type Located } from '../core/yaml-schema.js';
import { catalogFileSchema, type CatalogFile } from './schema.js';
import { slug, type Catalog, type Product } from './model.js';

export const DEFAULT_CATALOG_DIR = fileURLToPath(new URL('../../catalog/', import.meta.url));

/**
 * Loads the catalog. With `product`, only `<product>.yaml` is read when it exists and
 * declares that product (plan/apply/drift need one product; start-up time matters); every
 * file is read otherwise, and always by `catalog lint`.
 */
export function loadCatalog(dir: string = DEFAULT_CATALOG_DIR, product?: string): Catalog {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (err) {
    throw new InputError(`catalog directory ${dir} cannot be read: ${(err as Error).message}`, dir);
  }
  if (names.length === 0) throw new InputError(`catalog directory ${dir} holds no *.yaml file`, dir);
  const own = product ? names.find((n) => n === `${product}.yaml` || n === `${product}.yml`) : undefined;
  if (own) {
    const only = loadCatalogText(readFileSync(join(dir, own), 'utf8'), join(dir, own));
    if (only.id === product) return { products: new Map([[only.id, only]]) };
  }
  const products = new Map<string, Product>();
  for (const name of names) {
    const file = join(dir, name);
    const product = loadCatalogText(readFileSync(file, 'utf8'), file);
    const twin = products.get(product.id);
    if (twin) throw new InputError(`${file}: product: "${product.id}" is also defined in ${twin.file}`, file);
    products.set(product.id, product);
  }
  return { products };
}

export function loadCatalogText(text: string, file: string): Product {
  const loc = parseYaml(text, file);
  const data = validate(loc, catalogFileSchema);
  const problems = crossCheck(loc, data);
  if (problems.length > 0) throw new InputError(problems[0]!, file, problems);
  return toProduct(data, file);
}

function crossCheck(loc: Located, data: CatalogFile): string[] {
  const problems: string[] = [];
  const roles = new Set(Object.keys(data.roles));
  const conditions = new Set(Object.keys(data.conditions));
  const params = new Set(Object.keys(data.params));
  const documents = new Set(Object.keys(data.documents));
  const platformIds = new Set<string>();
  const checkSources = (sources: string[] | undefined, path: PropertyKey[]) => {
    for (const [i, s] of (sources ?? []).entries()) {
      if (!documents.has(s)) problems.push(locate(loc, [...path, i], `unknown document "${s}" (documents: ${[...documents].join(', ')})`));
    }
  };
  data.platforms.forEach((p, pi) => {
    if (platformIds.has(p.id)) problems.push(locate(loc, ['platforms', pi, 'id'], `duplicate platform id "${p.id}"`));
    platformIds.add(p.id);
    checkSources(p.sources, ['platforms', pi, 'sources']);
    const seen = new Map<string, number>();
    p.methods.forEach((m, mi) => {
      checkSources(m.sources, ['platforms', pi, 'methods', mi, 'sources']);
      m.flows.forEach((f, fi) => {
        const at = ['platforms', pi, 'methods', mi, 'flows', fi];
        for (const key of ['from', 'to'] as const) {
          if (!roles.has(f[key])) problems.push(locate(loc, [...at, key], `unknown role "${f[key]}" (roles: ${[...roles].join(', ')})`));
        }
        if (f.condition && !conditions.has(f.condition)) {
          problems.push(locate(loc, [...at, 'condition'], `unknown condition flag "${f.condition}" (conditions: ${[...conditions].join(', ') || 'none'})`));
        }
        if (f.param && !params.has(f.param)) {
          problems.push(locate(loc, [...at, 'param'], `unknown port parameter "${f.param}" (params: ${[...params].join(', ') || 'none'})`));
        }
        checkSources(f.sources, [...at, 'sources']);
        const key = [m.title ?? m.section ?? mi, f.from, f.to, f.protocol, [...f.ports].sort().join(','), f.condition ?? ''].join('|');
        const first = seen.get(key);
        if (first !== undefined) problems.push(locate(loc, at, `duplicate flow: same as flows[${first}] of this platform/method`));
        else seen.set(key, fi);
      });
    });
  });
  for (const [role, req] of Object.entries(data.requirements.sudo)) {
    if (!roles.has(role)) problems.push(locate(loc, ['requirements', 'sudo', role], `unknown role "${role}"`));
    checkSources(req.sources, ['requirements', 'sudo', role, 'sources']);
  }
  return problems;
}

function toProduct(data: CatalogFile, file: string): Product {
  const flows: Product['flows'] = [];
  for (const p of data.platforms) {
    for (const m of p.methods) {
      m.flows.forEach((f, i) => {
        flows.push({
          id: `${data.product}/${p.id}/${slug(m.title ?? m.section ?? '') || '-'}/${i + 1}`,
          product: data.product,
          platform: p.id,
          platformTitle: p.title,
          method: m.title,
          from: f.from,
          to: f.to,
          protocol: f.protocol,
          ports: f.ports,
          purpose: f.purpose,
          condition: f.condition ?? null,
          sources: [...(f.sources ?? m.sources ?? p.sources)].sort(),
          section: m.section ?? [p.title, m.title].filter(Boolean).join(' / '),
          param: f.param ?? null,
          ...(f.note ? { note: f.note } : {}),
        });
      });
    }
  }
  return {
    id: data.product,
    title: data.title,
    file,
    documents: data.documents,
    roles: data.roles,
    conditions: data.conditions,
    params: data.params,
    platforms: data.platforms.map((p) => ({ id: p.id, title: p.title, methods: p.methods.map((m) => m.title) })),
    flows,
    requirements: {
      account: data.requirements.account,
      sudo: data.requirements.sudo,
      rootEquivalent: data.requirements.rootEquivalent,
      selinux: data.requirements.selinux,
    },
  };
}
