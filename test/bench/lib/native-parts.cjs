// Preloaded (node --require) into both of the bench's vprov variants, so they differ in one thing
// only. With VPROV_BENCH_NATIVE=off, ssh2's optional native parts (its crypto addon and
// cpu-features) fail to load, as when npm did not run their install scripts; ssh2 then uses
// Node's own crypto. At exit the native modules the run loaded are printed on stderr, so the
// bench checks which variant it measured.
'use strict';
const Module = require('node:module');

if (process.env.VPROV_BENCH_NATIVE === 'off') {
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    if (/sshcrypto\.node$|^cpu-features$/.test(request)) {
      const err = new Error(`Cannot find module '${request}' (blocked by the bench)`);
      err.code = 'MODULE_NOT_FOUND';
      throw err;
    }
    return load.call(this, request, parent, isMain);
  };
}

process.on('exit', () => {
  const native = Object.keys(Module._cache)
    .filter((f) => f.endsWith('.node'))
    .map((f) => f.split('/').pop());
  process.stderr.write(`bench-native-modules: ${native.join(',') || 'none'}\n`);
});
