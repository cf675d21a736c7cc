/**
 * Parse YAML text and validate it with a zod schema, turning every problem into one
 * line that names the file, the line, the YAML path and the reason. Pure: no fs.
 */
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { InputError } from './errors.js';

export interface Located {
  file: string;
  doc: Document;
  lines: LineCounter;
}

export function parseYaml(text: string, file: string): Located {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
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

export function validate<S extends z.ZodType>(loc: Located, schema: S, data: unknown = loc.doc.toJS()): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => locate(loc, issue.path as PropertyKey[], issue.message));
  throw new InputError(details[0]!, loc.file, details);
}
