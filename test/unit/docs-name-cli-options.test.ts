import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// A user who reads only the README and docs/ must find every command and option an operator
// needs to decide with; an option only in --help is easy to miss (take-over changes ownership).
const root = join(__dirname, '..', '..');
const docs = [
  readFileSync(join(root, 'README.md'), 'utf8'),
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => readFileSync(join(root, 'docs', f), 'utf8')),
].join('\n');

describe('README and docs/ name the operator-facing commands and options', () => {
  for (const term of ['vprov init', 'inventory schema', '--take-over', 'xccdf', '--no-verify', '--prometheus-rules']) {
    it(`mentions ${term}`, () => expect(docs.includes(term), `${term} is in no README/docs page`).toBe(true));
  }
});
