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

// yargs' platform shim imports cliui and string-width when it loads, though both only lay out help
// text, and string-width builds Unicode-property regular expressions (\p{RGI_Emoji}, flag v) when
// it is evaluated: ≈40 ms of every command, help or not. Behind require(), esbuild evaluates a
// module on its first use instead.
let lazyImports = 0;
const lazyHelpLayout = {
  name: 'lazy-help-layout',
  setup(b) {
    b.onResolve({ filter: /^(cliui|string-width)$/ }, (args) => {
      if (!/[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/.test(args.importer)) return undefined;
      lazyImports++;
      return { path: args.path, namespace: 'lazy-help-layout', pluginData: args.resolveDir };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-help-layout' }, (args) => ({
      contents: `export default function lazy(...a) { return require(${JSON.stringify(args.path)}).default(...a); }`,
      resolveDir: args.pluginData,
      loader: 'js',
    }));
  },
};

// ssh2 stays a package (its optional native crypto addon is found by a path relative to its own
// files), loaded with require(): imported from ESM, Node would first scan its CommonJS source for
// export names (cjs-module-lexer), tens of ms on every run that connects.
const ssh2ByRequire = {
  name: 'ssh2-by-require',
  setup(b) {
    b.onResolve({ filter: /^ssh2$/ }, (args) => (args.namespace === 'ssh2-by-require' ? { path: 'ssh2', external: true } : { path: 'ssh2', namespace: 'ssh2-by-require' }));
    b.onLoad({ filter: /.*/, namespace: 'ssh2-by-require' }, () => ({ contents: "module.exports = require('ssh2');", loader: 'js' }));
  },
};

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
  // CommonJS dependencies call require() (of node: builtins, among others): give them one.
  banner: { js: "import { createRequire as __vprovCreateRequire } from 'node:module'; const require = __vprovCreateRequire(import.meta.url);" },
  define: { VPROV_CATALOG_COMPILER: JSON.stringify(compiler) },
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [lazyHelpLayout, ssh2ByRequire],
});
if (lazyImports !== 2) {
  console.error(`bundle: yargs' platform shim no longer imports cliui and string-width as expected (${lazyImports} of 2 made lazy): review lazyHelpLayout`);
  process.exit(1);
}

for (const f of ['catalog', 'templates', 'package.json', 'bin/vprov.js']) {
  if (!existsSync(new URL(`../../${f}`, `file://${BUNDLE_DIR}/main.js`))) {
    console.error(`bundle: ${f} does not resolve from dist/bundle/`);
    process.exit(1);
  }
}
