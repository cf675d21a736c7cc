#!/usr/bin/env node
// Writes docs/report.schema.json, docs/evidence.schema.json and docs/inventory.schema.json from the zod schemas the code
// validates with (`npm run schemas` builds first). Tests keep both files equal to the code.
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { reportSchema } from '../dist/report/schema.js';
import { evidenceSchema } from '../dist/report/evidence-schema.js';
import { inventoryJsonSchema } from '../dist/inventory/json-schema.js';
import { loadCatalog } from '../dist/catalog/load.js';

const write = (name, schema) => writeFileSync(new URL(`../docs/${name}`, import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
write('report.schema.json', z.toJSONSchema(reportSchema));
write('evidence.schema.json', z.toJSONSchema(evidenceSchema));
// The inventory schema's names (products, platforms, methods, options, roles, port parameters) are the shipped catalog's.
write('inventory.schema.json', inventoryJsonSchema(loadCatalog()));
