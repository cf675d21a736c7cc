#!/usr/bin/env node
// Build step (after tsc and the catalog/template compilers): the compiled CLI (dist/cli/main.js and
// everything it imports, dependencies included) bundled by esbuild into one CommonJS file,
// dist/bundle/vprov.cjs, which bin/vprov.js runs. Resolving ~380 module files through Node's module
// loaders was the largest part of every command's start-up. Each dynamic import() stays lazy: its
// module is evaluated (and its functions compiled) only when a command reaches it. One CommonJS
// file rather than ESM chunks because it is faster still (no ESM loader) and because V8 can cache
// its compiled code (bin/code-cache.js), which Node 20 offers for no ES module. Minified (whitespace
// and syntax, not names): less to read, hash and parse on every run.
//
// dist/bundle/ sits two levels below the package root, like every dist/<dir>/<module>.js, so the
// modules' `new URL('../../catalog/', import.meta.url)`-style paths resolve the same from the
// bundle as from tsc's output (checked below).
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { compilerHash, COMPILED_CATALOG } from '../dist/catalog/load.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const BUNDLE_DIR = `${root}dist/bundle`;
const BUNDLE = `${BUNDLE_DIR}/vprov.cjs`;

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

// ssh2 is bundled too (its ~20 files were compiled on every run), but its optional native parts stay
// in the installed packages: the crypto addon, which ssh2 requires by a path relative to its own
// file, is required through the ssh2 package instead, and cpu-features by its name. Both are
// optional to ssh2 (a try/catch): without them it uses Node's crypto.
const SSH2_ADDON = 'ssh2/lib/protocol/crypto/build/Release/sshcrypto.node';
let nativeParts = 0;
const ssh2NativeParts = {
  name: 'ssh2-native-parts',
  setup(b) {
    b.onResolve({ filter: /^\.\/crypto\/build\/Release\/sshcrypto\.node$|^cpu-features$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]ssh2[\\/]lib[\\/]protocol[\\/](crypto|constants)\.js$/.test(args.importer)) return undefined;
      nativeParts++;
      return { path: args.path === 'cpu-features' ? 'cpu-features' : SSH2_ADDON, external: true };
    });
  },
};

rmSync(BUNDLE_DIR, { recursive: true, force: true });
const { metafile } = await build({
  metafile: true,
  entryPoints: [`${root}dist/cli/main.js`],
  outfile: BUNDLE,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // The modules (and yargs) locate files from import.meta.url: the bundle's own URL.
  banner: { js: "var __vprovModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { VPROV_CATALOG_COMPILER: JSON.stringify(compiler), 'import.meta.url': '__vprovModuleUrl' },
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  plugins: [lazyHelpLayout, ssh2NativeParts],
});
if (/\bimport\(/.test(readFileSync(BUNDLE, 'utf8'))) {
  // bin/vprov.js runs the bundle as a script, where an import() of something left outside fails.
  console.error('bundle: dist/bundle/vprov.cjs still holds an import(): bundle or require() it');
  process.exit(1);
}
if (nativeParts !== 2) {
  console.error(`bundle: ssh2 no longer requires its native parts as expected (${nativeParts} of 2 found): review ssh2NativeParts`);
  process.exit(1);
}
if (lazyImports !== 2) {
  console.error(`bundle: yargs' platform shim no longer imports cliui and string-width as expected (${lazyImports} of 2 made lazy): review lazyHelpLayout`);
  process.exit(1);
}

// The addon, where ssh2's install built it, is found from the bundle as the bundle will ask for it.
if (existsSync(`${root}node_modules/${SSH2_ADDON}`)) createRequire(BUNDLE).resolve(SSH2_ADDON);

for (const f of ['catalog', 'templates', 'package.json', 'bin/vprov.js', 'dist/catalog.compiled.json', 'dist/templates.compiled.cjs']) {
  if (!existsSync(new URL(`../../${f}`, `file://${BUNDLE}`))) {
    console.error(`bundle: ${f} does not resolve from dist/bundle/`);
    process.exit(1);
  }
}

// The package installs no dependencies: their code is in the bundle. Their licences go with it,
// one file beside the bundle naming every package that contributed code, with its licence text.
const packages = new Map();
for (const input of Object.keys(metafile.inputs)) {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input.slice(input.lastIndexOf('node_modules/')));
  if (!m) continue;
  const dir = `${root}${input.slice(0, input.lastIndexOf('node_modules/'))}node_modules/${m[1]}`;
  if (!packages.has(m[1])) packages.set(m[1], dir);
}
const notices = [...packages.keys()].sort().map((name) => {
  const dir = packages.get(name);
  const pkg = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
  const licenceFile = readdirSync(dir).find((f) => /^(licen[cs]e|copying)([-.]|$)/i.test(f));
  if (!licenceFile) {
    console.error(`bundle: ${name} has no licence file to ship with the bundle`);
    process.exit(1);
  }
  const licence = pkg.license ?? (pkg.licenses ?? []).map((l) => l.type).join(', ');
  return `${name}@${pkg.version} (${licence})\n\n${readFileSync(`${dir}/${licenceFile}`, 'utf8').trim()}\n`;
});
writeFileSync(`${BUNDLE_DIR}/THIRD-PARTY-LICENSES.txt`, `Packages bundled into vprov.cjs, with their licences.\n\n${notices.join(`\n${'-'.repeat(72)}\n\n`)}`);
