#!/usr/bin/env node
// Build step (after tsc): the shipped catalog through the same load path as at run time —
// zod schema, cross-checks, toProduct — stored by content hash in dist/catalog.compiled.json,
// so that no command parses the catalog's YAML on its hot path. A catalog error fails the build
// with the same file:line message the CLI would print.
import { writeFileSync, renameSync } from 'node:fs';
import { COMPILED_CATALOG, compileCatalog } from '../dist/catalog/load.js';

try {
  const compiled = compileCatalog();
  writeFileSync(`${COMPILED_CATALOG}.tmp`, JSON.stringify(compiled));
  renameSync(`${COMPILED_CATALOG}.tmp`, COMPILED_CATALOG);
} catch (err) {
  console.error(`catalog: ${err.message}`);
  for (const d of err.details?.slice(1) ?? []) console.error(`catalog: ${d}`);
  process.exitCode = 1;
}
