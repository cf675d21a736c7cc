// Runs the CommonJS bundle with V8's code cache: the bytecode V8 compiled in an earlier run of the
// same command is reused instead of compiled again (Node 20 has no compile cache of its own).
// The cache is only a speed-up, so every failure around it is ignored: no cache, a stale or
// corrupt one (V8 rejects it), an unwritable directory all mean "compile as usual".
// It lives in the user's cache directory, never in the package (which may be read-only), keyed
// by the bundle's bytes, Node's version and flags, and the command (each caches the code it ran).
// Cached bytecode is code that will run: only files of a directory that is this user's own and
// writable by no one else are read (think of `sudo vprov` keeping a user's HOME).
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const { createRequire } = require('node:module');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');

/** $XDG_CACHE_HOME/vprov or ~/.cache/vprov; undefined when there is no home. */
function cacheDir(env = process.env) {
  try {
    const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
    return path.join(base, 'vprov');
  } catch {
    return undefined;
  }
}

/** A directory or file that only this user can have written. */
function ownedPrivately(stat, uid = process.getuid?.()) {
  return uid === undefined || (stat.uid === uid && (stat.mode & 0o022) === 0);
}

function readCache(dir, file) {
  let fd;
  try {
    if (!ownedPrivately(fs.lstatSync(dir))) return undefined;
    // Checked on the open file itself: what is read is what was checked, whatever is renamed meanwhile.
    fd = fs.openSync(file, 'r');
    const stat = fs.fstatSync(fd);
    return stat.isFile() && ownedPrivately(stat) ? fs.readFileSync(fd) : undefined;
  } catch {
    return undefined; // no cache yet
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function writeCache(dir, file, script) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ownedPrivately(fs.lstatSync(dir))) return;
    fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
    fs.renameSync(tmp, file);
    prune(dir);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing was written
    }
  }
}

/** Older builds' caches go, beyond the newest few (several checkouts or versions may alternate). */
function prune(dir, keep = 16) {
  const caches = fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.bin'))
    .map((n) => ({ n, t: fs.statSync(path.join(dir, n)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { n } of caches.slice(keep)) fs.rmSync(path.join(dir, n), { force: true });
}

/** Evaluates the bundle at `file` as a CommonJS module and returns its exports. */
function loadBundle(file, command, env = process.env) {
  const source = fs.readFileSync(file, 'utf8');
  const dir = cacheDir(env);
  const key = createHash('sha256').update(source).update(`\0${process.version}\0${process.arch}\0${process.execArgv.join(' ')}`).digest('hex').slice(0, 32);
  const cacheFile = dir && path.join(dir, `${key}-${/^[a-z]{1,20}$/.test(command ?? '') ? command : 'other'}.bin`);
  const cachedData = cacheFile && readCache(dir, cacheFile);
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    // At exit the cache holds every function this run compiled, not only the top level.
    process.once('exit', () => writeCache(dir, cacheFile, script));
  }
  const module = { exports: {}, filename: file };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}

module.exports = { loadBundle, cacheDir };
