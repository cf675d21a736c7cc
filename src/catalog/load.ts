/**
 * Load every catalog/*.yaml, validate it (zod) and cross-check it. Errors name file:line: path: reason.
 * A file whose bytes were compiled at build time (dist/catalog.compiled.json, keyed by content hash)
 * is taken from there: no command parses the shipped catalog's YAML on its hot path.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../core/errors.js';
import { locate, parseYaml, validate, type Located } from '../core/yaml-schema.js';
import { catalogFileSchema, type CatalogFile } from './schema.js';
import { REQUIREMENTS_SECTION, slug, type Catalog, type Product } from './model.js';

export const DEFAULT_CATALOG_DIR = fileURLToPath(new URL('../../catalog/', import.meta.url));

/** Written by scripts/compile-catalog.js after tsc; absent when running from src/ (tests take the full path). */
export const COMPILED_CATALOG = fileURLToPath(new URL('../catalog.compiled.json', import.meta.url));

/** The modules whose code turns YAML into a Product: a compiled entry is only trusted for the same code. */
const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const COMPILER_MODULES = ['./load', './schema', './model', '../core/yaml-schema'].map((m) => m + EXT);

export interface CompiledCatalog {
  /** hash of the compiling modules' code */
  compiler: string;
  /** sha256 of a catalog file's bytes → its Product (without `file`, which depends on where it is read) */
  products: Record<string, Omit<Product, 'file'>>;
}

export function contentHash(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Set by scripts/bundle.js: the bundle cannot read the modules it was built from, so it carries their fingerprint. */
declare const VPROV_CATALOG_COMPILER: string | undefined;

export function compilerHash(): string | undefined {
  if (typeof VPROV_CATALOG_COMPILER === 'string') return VPROV_CATALOG_COMPILER;
  try {
    const h = createHash('sha256');
    for (const m of COMPILER_MODULES) h.update(readFileSync(new URL(m, import.meta.url)));
    return h.digest('hex');
  } catch {
    return undefined;
  }
}

/** The build step: every file of `dir` through the same load path as at run time. */
export function compileCatalog(dir: string = DEFAULT_CATALOG_DIR): CompiledCatalog {
  const compiler = compilerHash();
  if (!compiler) throw new Error('cannot read the catalog modules to fingerprint them');
  const products: CompiledCatalog['products'] = {};
  for (const name of catalogFileNames(dir)) {
    const text = readFileSync(join(dir, name), 'utf8');
    const { file: _file, ...product } = loadCatalogText(text, join(dir, name));
    products[contentHash(text)] = product;
  }
  return { compiler, products };
}

let compiled: CompiledCatalog['products'] | null | undefined;

function compiledProducts(): CompiledCatalog['products'] | null {
  if (compiled === undefined) {
    compiled = null;
    try {
      const c = JSON.parse(readFileSync(COMPILED_CATALOG, 'utf8')) as CompiledCatalog;
      if (c.compiler === compilerHash()) compiled = c.products;
    } catch {
      // No compiled catalog (running from src/, or never built): every file takes the full path.
    }
  }
  return compiled;
}

/** One catalog file: its compiled form when its exact bytes were compiled, else parsed and validated. */
function loadCatalogFile(file: string): Product {
  const text = readFileSync(file, 'utf8');
  const hit = compiledProducts()?.[contentHash(text)];
  // A deep copy: callers may not share (or change) the cached object.
  if (hit) return { ...(structuredClone(hit) as Omit<Product, 'file'>), file };
  return loadCatalogText(text, file);
}

function catalogFileNames(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort();
  } catch (err) {
    throw new InputError(`catalog directory ${dir} cannot be read: ${(err as Error).message}`, dir);
  }
  if (names.length === 0) throw new InputError(`catalog directory ${dir} holds no *.yaml file`, dir);
  return names;
}

/**
 * Loads the catalog. With `product`, only `<product>.yaml` is read when it exists and
 * declares that product (plan/apply/drift need one product; start-up time matters); every
 * file is read otherwise, and always by `catalog lint`.
 */
export function loadCatalog(dir: string = DEFAULT_CATALOG_DIR, product?: string): Catalog {
  const names = catalogFileNames(dir);
  const own = product ? names.find((n) => n === `${product}.yaml` || n === `${product}.yml`) : undefined;
  if (own) {
    const only = loadCatalogFile(join(dir, own));
    if (only.id === product) return { products: new Map([[only.id, only]]) };
  }
  const products = new Map<string, Product>();
  for (const name of names) {
    const file = join(dir, name);
    const product = loadCatalogFile(file);
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
  data.requirements.host.forEach((h, i) => {
    for (const [ri, role] of h.roles.entries())
      if (!roles.has(role)) problems.push(locate(loc, ['requirements', 'host', i, 'roles', ri], `unknown role "${role}" (roles: ${[...roles].join(', ')})`));
    checkSources(h.sources, ['requirements', 'host', i, 'sources']);
  });
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
    // No undefined-valued keys: the product must survive JSON (the compiled catalog) unchanged.
    requirements: {
      ...(data.requirements.account ? { account: withSection(data.requirements.account) } : {}),
      sudo: Object.fromEntries(Object.entries(data.requirements.sudo).map(([role, s]) => [role, withSection(s)])),
      rootEquivalent: data.requirements.rootEquivalent,
      host: data.requirements.host.map(withSection),
      ...(data.requirements.selinux ? { selinux: withSection(data.requirements.selinux) } : {}),
    },
  };
}

function withSection<T extends { section?: string }>(r: T): T & { section: string } {
  return { ...r, section: r.section ?? REQUIREMENTS_SECTION };
}
