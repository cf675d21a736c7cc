#!/usr/bin/env node
// npm pack / npm publish: the package.json inside the tarball carries no npm scripts.
//
// The package ships built (dist/bundle/vprov.cjs) and needs nothing run at install. But npm (≥ 11)
// counts `prepare` as an install script of a package installed from a file or tarball, so
// `npm install -g vprov-<version>.tgz` would warn that vprov's own script is not approved in
// allowScripts (a global install has no project package.json in which to approve it).
//
//   prepack:  node scripts/pack-manifest.js strip     (after the build)
//   postpack: node scripts/pack-manifest.js restore
//
// The checkout's package.json is kept byte for byte beside it and put back after the pack; a copy
// left by a pack that died in between is put back first.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MANIFEST = fileURLToPath(new URL('../package.json', import.meta.url));
const KEPT = fileURLToPath(new URL('../.package.json.before-pack', import.meta.url));

const restore = () => {
  if (existsSync(KEPT)) renameSync(KEPT, MANIFEST);
};

const mode = process.argv[2];
if (mode === 'strip') {
  restore();
  const text = readFileSync(MANIFEST, 'utf8');
  const { scripts: _scripts, ...packed } = JSON.parse(text);
  writeFileSync(KEPT, text);
  writeFileSync(MANIFEST, `${JSON.stringify(packed, null, 2)}\n`);
} else if (mode === 'restore') {
  restore();
} else {
  console.error('usage: pack-manifest.js strip|restore');
  process.exit(1);
}
