/** The shipped catalog, loaded once per test file. */
import { loadCatalog } from '../../src/catalog/load.js';
import { parseInventory } from '../../src/inventory/load.js';
import { stringify } from 'yaml';

export const catalog = loadCatalog();

export function inventoryOf(doc: object, file = 'test.yaml') {
  return parseInventory(stringify(doc), file, catalog);
}
