/**
 * Parse YAML text and validate it with a zod schema, turning every problem into one
 * line that names the file, the line, the YAML path and the reason. Pure: no fs.
 */
import { LineCounter, parseDocument, isMap, isNode, isScalar, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { InputError } from './errors.js';
import { fastYaml } from './yaml-fast.js';

export interface Located {
  file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
}

/** A YAML text's data, and where its parts are for messages. */
export interface Loaded {
  data: unknown;
  loc: Located;
  /** read fast: the line where each map and list of `data` starts, and the maps with a key that is not a string */
  fast?: { starts: WeakMap<object, number>; otherKeys: WeakSet<object> };
}

/**
 * The data of a YAML text. The usual plain text is read fast, without yaml's tokens, nodes and
 * ranges; yaml parses it (parseYaml) only when a line is asked for, which is to report a problem.
 * A text the fast reader leaves alone is parsed by yaml at once, its errors thrown as before.
 */
export function loadYaml(text: string, file: string, opts: { fast?: boolean } = {}): Loaded {
  const fast = opts.fast === false ? undefined : fastYaml(text);
  if (!fast) {
    const loc = parseYaml(text, file);
    return { data: loc.doc.toJS(), loc };
  }
  let parsed: Located | undefined;
  const strict = () => (parsed ??= parseYaml(text, file));
  const loc: Located = {
    file,
    get doc() {
      return strict().doc;
    },
    get lines() {
      return strict().lines;
    },
  };
  return { data: fast.data, loc, fast: { starts: fast.starts, otherKeys: fast.otherKeys } };
}

/**
 * `lineOf(loaded.loc, path)` without yaml's parse when the fast read knows it: the node at `path`
 * (or, as lineOf walks up, its nearest parent there is) is a map or list, reached through maps
 * keyed by strings only (as yaml's getIn finds keys). Anything else asks lineOf.
 */
export function startLine(loaded: Loaded, path: readonly PropertyKey[]): number | undefined {
  const { fast } = loaded;
  if (fast) {
    let node: unknown = loaded.data;
    for (const key of path) {
      // A scalar on the way (its own line is yaml's to say) ends the walk; so does a key not there
      // (the line of the map or list it is missing from, as lineOf walks up).
      if (node === null || typeof node !== 'object') break;
      if (Array.isArray(node)) {
        if (typeof key !== 'number') return lineOf(loaded.loc, path);
        if (!(Number.isInteger(key) && key >= 0 && key < node.length)) break;
      } else {
        if (typeof key !== 'string' || fast.otherKeys.has(node)) return lineOf(loaded.loc, path);
        if (!Object.hasOwn(node, key)) break;
      }
      node = (node as Record<PropertyKey, unknown>)[key];
    }
    const line = node !== null && typeof node === 'object' ? fast.starts.get(node) : undefined;
    if (line !== undefined) return line;
  }
  return lineOf(loaded.loc, path);
}

export function parseYaml(text: string, file: string): Located {
  // yaml's own duplicate-key check compares each key with every earlier key of its map
  // (quadratic: seconds for a 10,000-host inventory). Parsed without it, checked in one pass,
  // and parsed again with it only when a map holds a duplicate, for yaml's exact error.
  let lines = new LineCounter();
  let doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0 || hasDuplicateKey(doc)) {
    lines = new LineCounter();
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  }
  if (doc.errors.length > 0) {
    const details = doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0]);
      const where = `${file}:${pos.line}:${pos.col}`;
      return `${where}: YAML syntax error: ${e.message.split('\n')[0]}`;
    });
    throw new InputError(details[0]!, file, details);
  }
  return { file, doc, lines };
}

/**
 * Whether any map repeats a key as yaml's uniqueKeys check sees it (scalars by value, other keys
 * by identity), with one Set per map. A false alarm (NaN) only costs the second parse.
 */
function hasDuplicateKey(doc: Document): boolean {
  let found = false;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key)) {
          found = true;
          return visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found;
}

/** "file:line: path.to.field: reason" for a path inside a parsed document. */
export function locate(loc: Located, path: readonly PropertyKey[], reason: string): string {
  const line = lineOf(loc, path);
  const where = line ? `${loc.file}:${line}` : loc.file;
  const dotted = path.length > 0 ? formatPath(path) : '(top level)';
  return `${where}: ${dotted}: ${reason}`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');
}

export function lineOf(loc: Located, path: readonly PropertyKey[]): number | undefined {
  // Walk up until a node exists: a missing key is reported at its parent.
  for (let n = path.length; n >= 0; n--) {
    const node = loc.doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return loc.lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/**
 * `lineOf(loc, [...path, key])` for every key of the map at `path`, in one pass: lineOf walks
 * the map for each key, which is quadratic over a 10,000-host inventory.
 */
export function linesOfKeys(loc: Located, path: readonly PropertyKey[], keys: readonly string[]): Record<string, number> {
  const map = loc.doc.getIn(path as unknown[], true);
  const found = new Map<string, number>();
  if (isMap(map))
    for (const pair of map.items)
      if (isScalar(pair.key) && typeof pair.key.value === 'string' && isNode(pair.value) && pair.value.range && !found.has(pair.key.value))
        found.set(pair.key.value, loc.lines.linePos(pair.value.range[0]).line);
  // A key not there (or not a string, or without a range) is reported at its map, as lineOf does.
  const atMap = lineOf(loc, path);
  const out: Record<string, number> = {};
  for (const k of keys) {
    const line = found.get(k) ?? atMap;
    if (line !== undefined) out[k] = line;
  }
  return out;
}

export function validate<S extends z.ZodType>(loc: Located, schema: S, data: unknown = loc.doc.toJS()): z.infer<S> {
  return checked(loc, schema.safeParse(data));
}

/** A schema's result, or its problems as "file:line: path: reason" lines (validate, for a result made another way). */
export function checked<T>(loc: Located, result: z.ZodSafeParseResult<T>): T {
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => locate(loc, issue.path as PropertyKey[], issue.message));
  throw new InputError(details[0]!, loc.file, details);
}
