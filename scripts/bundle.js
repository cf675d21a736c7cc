#!/usr/bin/env node
// Build step (after tsc and the catalog/template compilers): the compiled CLI (dist/cli/main.js and
// everything it imports, dependencies included) bundled by esbuild into dist/bundle/, which
// bin/vprov.js runs. Resolving ~380 module files through Node's ESM loader was the largest part of
// every command's start-up; the bundle is a handful of files. Code splitting keeps each dynamic
// import() a chunk of its own, loaded only by the command that needs it.
//
// dist/bundle/ sits two levels below the package root, like every dist/<dir>/<module>.js, so the
// modules' `new URL('../../catalog/', import.meta.url)`-style paths resolve the same from the
// bundle as from tsc's output (scripts/bundle.js checks this below).
import { build } from 'esbuild';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compilerHash, COMPILED_CATALOG } from '../dist/catalog/load.js';

const root = fileURLToPath(new URL('../', import.meta.url));
export const BUNDLE_DIR = `${root}dist/bundle`;

// The compiled catalog is only trusted for the code that compiled it; the bundle cannot read
// dist/catalog/*.js at run time, so it carries that code's fingerprint.
const compiler = compilerHash();
if (!compiler || JSON.parse(readFileSync(COMPILED_CATALOG, 'utf8')).compiler !== compiler) {
  console.error('bundle: dist/catalog.compiled.json is missing or was compiled by other code: run npm run build');
  process.exit(1);
}

rmSync(BUNDLE_DIR, { recursive: true, force: true });
await build({
  entryPoints: { main: `${root}dist/cli/main.js` },
  outdir: BUNDLE_DIR,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  // ssh2 loads its optional native crypto addon by a path relative to its own files.
  external: ['ssh2'],
  // CommonJS dependencies call require() (of node: builtins, among others): give them one.
  banner: { js: "import { createRequire as __vprovCreateRequire } from 'node:module'; const require = __vprovCreateRequire(import.meta.url);" },
  define: { VPROV_CATALOG_COMPILER: JSON.stringify(compiler) },
  legalComments: 'none',
  logLevel: 'warning',
});

for (const f of ['catalog', 'templates', 'package.json', 'bin/vprov.js']) {
  if (!existsSync(new URL(`../../${f}`, `file://${BUNDLE_DIR}/main.js`))) {
    console.error(`bundle: ${f} does not resolve from dist/bundle/`);
    process.exit(1);
  }
}
