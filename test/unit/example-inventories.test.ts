import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { vprov } from '../helpers/cli.js';

const DIR = fileURLToPath(new URL('../../inventories/', import.meta.url));

describe('example inventories', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
  it('there is one per product', () => expect(files.length).toBeGreaterThanOrEqual(5));
  it.each(files)('%s passes inventory check', async (f) => {
    const r = await vprov('inventory', 'check', '-i', `${DIR}${f}`);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
  });
});
