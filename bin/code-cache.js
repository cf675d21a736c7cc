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

/** $XDG_CACHE_HOME/vprov or ~/.cache/vprov; undefined when there is no home (or it is "" or relative). */
function cacheDir(env = process.env) {
  try {
    const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
    return path.isAbsolute(base) ? path.join(base, 'vprov') : undefined;
  } catch {
    return undefined;
  }
}

/** A directory or file that only this user can have written. */
function ownedPrivately(stat, uid = process.getuid?.()) {
  return uid === undefined || (stat.uid === uid && (stat.mode & 0o022) === 0);
}

/**
 * The real path of `dir` when neither it nor any directory above it can be changed by anyone but
 * this user or root (as OpenSSH's StrictModes): otherwise another user could rename his own cache
 * into place between the check and the read. A sticky directory (/tmp) lets no one rename
 * another's entry. `dir` itself must be this user's own (root running with a user's HOME, as
 * `sudo -E` does, uses no cache there).
 */
function trustedDir(dir, uid = process.getuid?.()) {
  if (uid === undefined) return dir;
  const real = fs.realpathSync(dir);
  const st = fs.statSync(real);
  if (!st.isDirectory() || !ownedPrivately(st, uid)) return undefined;
  for (let d = path.dirname(real); ; d = path.dirname(d)) {
    const up = fs.statSync(d);
    if ((up.uid !== uid && up.uid !== 0) || ((up.mode & 0o022) !== 0 && (up.mode & 0o1000) === 0)) return undefined;
    if (d === path.dirname(d)) return real;
  }
}

/** The nearest directory at or above `dir` that exists. */
function nearestExisting(dir) {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(d) || d === path.dirname(d)) return d;
  }
}

function readCache(dir, name) {
  let fd;
  try {
    const real = trustedDir(dir);
    if (!real) return undefined;
    // Checked on the open file itself: what is read is what was checked.
    fd = fs.openSync(path.join(real, name), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    const stat = fs.fstatSync(fd);
    return stat.isFile() && ownedPrivately(stat) ? fs.readFileSync(fd) : undefined;
  } catch {
    return undefined; // no cache yet
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function writeCache(dir, name, script) {
  let tmp;
  try {
    // Only inside a directory of this user's own: never root's directories in another's home.
    if (!fs.existsSync(dir) && !trustedDir(nearestExisting(dir))) return;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const real = trustedDir(dir);
    if (!real) return;
    tmp = path.join(real, `${name}.${process.pid}.tmp`);
    fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, path.join(real, name));
    prune(real);
  } catch {
    try {
      if (tmp) fs.rmSync(tmp, { force: true });
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
  const key = createHash('sha256')
    .update(source)
    .update(`\0${process.version}\0${process.arch}\0${process.execArgv.join(' ')}`)
    .digest('hex')
    .slice(0, 32);
  const cacheFile = dir && `${key}-${/^[a-z]{1,20}$/.test(command ?? '') ? command : 'other'}.bin`;
  const cachedData = cacheFile ? readCache(dir, cacheFile) : undefined;
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
