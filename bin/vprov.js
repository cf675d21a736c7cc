#!/usr/bin/env node
// Thin launcher (CommonJS, see bin/package.json: no ES module loader to start): the CLI is one
// bundle, dist/bundle/vprov.cjs, built by `npm run build` (`prepare` on `npm ci`) and run with
// V8's code cache (bin/code-cache.js). `--version` alone is answered here without loading it.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

if (process.argv.length === 3 && process.argv[2] === '--version') {
  process.stdout.write(`${JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version}\n`);
} else {
  // V8 lets the heap grow to up to ~4x what is live before a full collection; a run's hosts in
  // flight make garbage fast, so a 5,000-host drift peaked at 307 MB with ~55 MB live. 20% keeps
  // the heap near what is live (184 MB, same CPU): a pace for the collector, not a limit (a
  // process that needs more memory still gets it). docs/decisions.md "Heap growth".
  require('node:v8').setFlagsFromString('--heap-growing-percent=20');
  const bundle = join(__dirname, '..', 'dist', 'bundle', 'vprov.cjs');
  let cli;
  try {
    cli = require('./code-cache.js').loadBundle(bundle, process.argv[2]);
  } catch (err) {
    // A missing or broken build is vprov's own failure, never bad input (exit 1): exit 4, as the
    // CLI does for any unexpected failure, with what to do about it. There is no fallback.
    process.stderr.write(
      `error: vprov failed unexpectedly (its bundle dist/bundle/vprov.cjs cannot be loaded: ${err?.message ?? err}); run npm run build, or reinstall vprov\n`,
    );
    process.exitCode = 4;
  }
  if (cli) cli.main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
