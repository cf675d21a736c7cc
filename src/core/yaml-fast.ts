/**
 * A fast reader for the plain YAML inventories are written in, without yaml's token, node and
 * range structures (about ten times faster on 10,000 hosts). It reads block maps and sequences,
 * one-line scalars (plain, or quoted without escapes) and one-line flow lists and maps of them,
 * and resolves every plain scalar with yaml's own YAML 1.2 core schema tags, so a value means
 * exactly what it means to yaml. Anything else — anchors, aliases, tags, directives, document
 * markers, block or multi-line scalars, escapes, explicit or odd keys, a key given twice, tabs,
 * anything yaml might call an error — is not read here: `fastYaml` returns undefined and the
 * caller parses with yaml itself, which stays the reference for data, errors and lines.
 */
import { Document, isScalar, type ScalarTag } from 'yaml';

export interface FastYaml {
  data: unknown;
  /** the line (1-based) where each map or list starts, as yaml's node range would say */
  starts: WeakMap<object, number>;
  /** the maps with a key that is not a string to yaml (1:, true:, ~:): yaml's getIn finds no string there */
  otherKeys: WeakSet<object>;
}

/** Thrown inside the reader when the text leaves the shape it reads; never escapes fastYaml. */
class NotPlain extends Error {}
const NOT_PLAIN = new NotPlain();
const no = (): never => {
  throw NOT_PLAIN;
};

// The tags yaml tries, in its order, on a plain scalar without a tag (findScalarTagByTest).
const schemaDoc = new Document(null);
const scalarTags = (atKey: boolean) =>
  (schemaDoc.schema.tags as ScalarTag[]).filter(
    (t) => !('collection' in t && t.collection) && t.test && (t.default === true || (atKey && t.default === 'key')),
  );
const OPTIONS = schemaDoc.options;
/** Each tag's test and resolve in arrays of their own: one shape to look at per scalar. */
const resolver = (tags: ScalarTag[]) => ({ tests: tags.map((t) => t.test!), resolves: tags.map((t) => t.resolve) });
const VALUE_TAGS = resolver(scalarTags(false));
const KEY_TAGS = resolver(scalarTags(true));

/** A plain scalar as yaml resolves it (its schema's tests, then its resolve; a string otherwise). */
function resolvePlain(s: string, atKey: boolean): unknown {
  const { tests, resolves } = atKey ? KEY_TAGS : VALUE_TAGS;
  for (let k = 0; k < tests.length; k++) {
    if (!tests[k]!.test(s)) continue;
    const res: unknown = resolves[k]!(s, no, OPTIONS);
    const value = isScalar(res) ? res.value : res;
    return value !== null && typeof value === 'object' ? no() : value;
  }
  return s;
}

// Characters the reader leaves to yaml wherever they appear: tabs, controls, a lone CR, the BOM,
// the line and paragraph separators YAML 1.1 took for line breaks, and the spaces JavaScript's
// trim takes but YAML keeps as part of a scalar (no-break, Ogham, en to hair, narrow, math, ideographic).
const ODD = /[\t\0-\x08\v\f\x0e-\x1f\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]|\r(?!\n)/;
// What a plain scalar may start with: no indicator (nor "<", as in "<<"), no space; "-" only before a
// digit, letter, "." or "_".
const NOT_FIRST = /[-?:,[\]{}#&*!|>'"%@`<\s]/;
const AFTER_DASH = /[0-9A-Za-z._]/;
function plainStart(t: string, at: number): boolean {
  const c = t[at];
  if (c === undefined) return false;
  if (c === '-') return at + 1 < t.length && AFTER_DASH.test(t[at + 1]!);
  return !NOT_FIRST.test(c);
}
/** yaml refuses an implicit key longer than 1024 characters; well below that, and yaml decides. */
const MAX_KEY = 1000;
/**
 * yaml reports "Maximum call stack size exceeded" as an error some hundreds of levels down (how many
 * depends on the stack left); deeper than this, and yaml decides (inventories nest a handful deep).
 */
const MAX_DEPTH = 64;

export function fastYaml(text: string): FastYaml | undefined {
  if (ODD.test(text)) return undefined;
  try {
    return new Reader(text.includes('\r') ? text.replaceAll('\r\n', '\n') : text).read();
  } catch (err) {
    if (err === NOT_PLAIN) return undefined;
    throw err;
  }
}

class Reader {
  /** content lines only (blank and comment-only lines dropped): indentation, text after it, line number */
  private readonly indents: number[] = [];
  private readonly texts: string[] = [];
  private readonly lineNos: number[] = [];
  private i = 0;
  /** maps and lists open around the one being read */
  private depth = 0;
  private readonly starts = new WeakMap<object, number>();
  private readonly otherKeys = new WeakSet<object>();

  constructor(text: string) {
    let line = 0;
    for (let at = 0; at <= text.length; ) {
      let end = text.indexOf('\n', at);
      if (end === -1) end = text.length;
      line++;
      let ind = at;
      while (text.charCodeAt(ind) === 32) ind++;
      if (ind < end && text[ind] !== '#') {
        const t = text.slice(ind, end);
        // Document markers and directives are yaml's to read.
        if (ind === at && (t.startsWith('---') || t.startsWith('...') || t[0] === '%')) no();
        this.indents.push(ind - at);
        this.texts.push(t);
        this.lineNos.push(line);
      }
      at = end + 1;
    }
  }

  read(): FastYaml {
    // An empty document is null to yaml: cheap to leave to it.
    if (this.texts.length === 0) no();
    const data = this.block();
    if (this.i < this.texts.length) no();
    return { data, starts: this.starts, otherKeys: this.otherKeys };
  }

  /** The map or list that starts at the current line. */
  private block(): unknown {
    const t = this.texts[this.i]!;
    const n = this.indents[this.i]!;
    if (isSeqItem(t)) return this.seq(n);
    if (keyEnd(t) > 0) return this.map(n);
    return no();
  }

  /** A map or list begins (its start line noted); one level deeper, and yaml's beyond MAX_DEPTH. */
  private started<T extends object>(o: T): T {
    if (++this.depth > MAX_DEPTH) no();
    this.starts.set(o, this.lineNos[this.i]!);
    return o;
  }

  /** A map or list is read whole. */
  private ended<T>(o: T): T {
    this.depth--;
    return o;
  }

  /** The value of a key or list item written on the lines below it (or nothing: null). */
  private below(n: number, seqAtSameIndent: boolean): unknown {
    const { i } = this;
    if (i < this.texts.length && this.indents[i]! > n) return this.block();
    if (seqAtSameIndent && i < this.texts.length && this.indents[i] === n && isSeqItem(this.texts[i]!)) return this.seq(n);
    return null;
  }

  /** Nothing may follow a one-line value on deeper lines (that would be a multi-line scalar or an error). */
  private endOfValue(n: number): void {
    if (this.i < this.texts.length && this.indents[this.i]! > n) no();
  }

  private map(n: number): Record<string, unknown> {
    const obj = this.started({} as Record<string, unknown>);
    while (this.i < this.texts.length && this.indents[this.i] === n) {
      const t = this.texts[this.i]!;
      const end = keyEnd(t);
      if (end <= 0) no();
      const key = this.key(obj, t, end);
      const rest = afterSpaces(t, end + 1);
      let value: unknown;
      if (rest === t.length || t[rest] === '#') {
        this.i++;
        value = this.below(n, true);
      } else {
        value = this.inline(t, rest);
        this.i++;
        this.endOfValue(n);
      }
      put(obj, key, value);
    }
    this.endOfValue(n);
    return this.ended(obj);
  }

  private seq(m: number): unknown[] {
    const arr = this.started([] as unknown[]);
    while (this.i < this.texts.length && this.indents[this.i] === m && isSeqItem(this.texts[this.i]!)) {
      const t = this.texts[this.i]!;
      const rest = afterSpaces(t, 1);
      if (rest === t.length || t[rest] === '#') {
        this.i++;
        arr.push(this.below(m, false));
      } else if (isSeqItem(t.slice(rest)) || keyEnd(t.slice(rest)) > 0) {
        // "- key: value" or "- - item": a map or list whose column is where its first line starts.
        this.indents[this.i] = m + rest;
        this.texts[this.i] = t.slice(rest);
        arr.push(this.block());
      } else {
        arr.push(this.inline(t, rest));
        this.i++;
        this.endOfValue(m);
      }
    }
    this.endOfValue(m);
    return this.ended(arr);
  }

  /** A value that starts at t[at] and ends on this line. */
  private inline(t: string, at: number): unknown {
    const c = t[at];
    if (c === '[' || c === '{' || c === '"' || c === "'") {
      const [value, end] = this.flowValue(t, at);
      lineEnd(t, end);
      return value;
    }
    if (!plainStart(t, at)) no();
    const hash = t.indexOf(' #', at);
    const s = t.slice(at, hash === -1 ? t.length : hash).trimEnd();
    if (s.includes(': ') || s.endsWith(':')) no();
    return resolvePlain(s, false);
  }

  /** A quoted scalar or a flow list or map starting at t[at]: its value and the index after it. */
  private flowValue(t: string, at: number): [unknown, number] {
    const c = t[at];
    if (c === '"' || c === "'") return quoted(t, at);
    if (c === '[') {
      const arr = this.started([] as unknown[]);
      let j = afterSpaces(t, at + 1);
      if (t[j] === ']') return [this.ended(arr), j + 1];
      for (;;) {
        const [value, end] = this.flowItem(t, j, false);
        arr.push(value);
        j = afterSpaces(t, end);
        if (t[j] === ']') return [this.ended(arr), j + 1];
        if (t[j] !== ',') no();
        j = afterSpaces(t, j + 1);
      }
    }
    if (c === '{') {
      const obj = this.started({} as Record<string, unknown>);
      let j = afterSpaces(t, at + 1);
      if (t[j] === '}') return [this.ended(obj), j + 1];
      for (;;) {
        const [key, keyEnd] = this.flowItem(t, j, true);
        if (t[keyEnd] !== ':' || t[keyEnd + 1] !== ' ' || keyEnd - j > MAX_KEY) no();
        const [value, end] = this.flowItem(t, afterSpaces(t, keyEnd + 1), false);
        put(obj, this.stringKey(obj, key), value);
        j = afterSpaces(t, end);
        if (t[j] === '}') return [this.ended(obj), j + 1];
        if (t[j] !== ',') no();
        j = afterSpaces(t, j + 1);
      }
    }
    return no();
  }

  /** An entry of a flow list or map: a nested flow value, a quoted scalar, or a plain one up to , ] } or ": ". */
  private flowItem(t: string, at: number, atKey: boolean): [unknown, number] {
    const c = t[at];
    if (c === '[' || c === '{') return atKey ? no() : this.flowValue(t, at);
    if (c === '"' || c === "'") return quoted(t, at);
    if (!plainStart(t, at)) no();
    let j = at;
    for (; j < t.length; j++) {
      const ch = t[j];
      if (ch === ',' || ch === ']' || ch === '}') break;
      if (ch === '[' || ch === '{' || (ch === '#' && t[j - 1] === ' ')) no();
      if (ch === ':') {
        const next = t[j + 1];
        if (next === undefined || next === ' ' || next === ',' || next === ']' || next === '}') break;
      }
    }
    // Ended by a ":" it is a key: its caller takes it in a map, and leaves a list's pair to yaml.
    return [resolvePlain(t.slice(at, j).trimEnd(), atKey), j];
  }

  /** A block key ending at t[end] (its ":"), as the property name yaml's toJS gives it. */
  private key(obj: object, t: string, end: number): string {
    return t[0] === '"' || t[0] === "'" ? quoted(t, 0)[0] : this.stringKey(obj, resolvePlain(t.slice(0, end), true));
  }

  /** The property name yaml gives a key (stringifyKey: null is "", anything else String()). */
  private stringKey(obj: object, key: unknown): string {
    if (typeof key === 'string') return key;
    this.otherKeys.add(obj);
    return key === null ? '' : String(key);
  }
}

const isSeqItem = (t: string) => t[0] === '-' && (t.length === 1 || t[1] === ' ');

function afterSpaces(t: string, at: number): number {
  while (t.charCodeAt(at) === 32) at++;
  return at;
}

/** Only spaces, then nothing or a comment, may follow a value on its line. */
function lineEnd(t: string, at: number): void {
  const j = afterSpaces(t, at);
  if (j < t.length && !(t[j] === '#' && j > at)) no();
}

/**
 * Where the ":" of a block key on this line is (-1: no key here). A plain key ends at the first ": "
 * (or ":" at the end); a quoted key right after its closing quote. A space before the ":", a
 * comment inside the key and a key of any style near yaml's 1024-character limit are left to yaml.
 */
function keyEnd(t: string): number {
  const c = t[0];
  if (c === '"' || c === "'") {
    const [, end] = quoted(t, 0);
    if (end > MAX_KEY) no();
    return t[end] === ':' && (end + 1 === t.length || t[end + 1] === ' ') ? end : -1;
  }
  if (!plainStart(t, 0)) return -1;
  let j = t.indexOf(':');
  while (j !== -1 && j + 1 < t.length && t[j + 1] !== ' ') j = t.indexOf(':', j + 1);
  if (j === -1) return -1;
  if (t[j - 1] === ' ' || t.lastIndexOf(' #', j) !== -1 || j > MAX_KEY) no();
  return j;
}

/** A one-line quoted scalar: '…' with '' for a quote, or "…" without any escape. */
function quoted(t: string, at: number): [string, number] {
  const q = t[at]!;
  if (q === '"') {
    const end = t.indexOf('"', at + 1);
    if (end === -1) no();
    const s = t.slice(at + 1, end);
    if (s.includes('\\')) no();
    return [s, end + 1];
  }
  let s = '';
  let j = at + 1;
  for (;;) {
    const end = t.indexOf("'", j);
    if (end === -1) no();
    s += t.slice(j, end);
    if (t[end + 1] !== "'") return [s, end + 1];
    s += "'";
    j = end + 2;
  }
}

/** A key as yaml's toJS sets it; a key given twice (or two keys of one name) is yaml's to judge. */
function put(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (!(key in obj)) obj[key] = value;
  else if (Object.hasOwn(obj, key)) no();
  // As yaml does: a name the object inherits (__proto__, toString) becomes an own property.
  else Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}
