// `npm run bench` options, checked before anything runs: a bench is minutes of a shared
// machine, so a typo (a --doc file that does not exist, an unknown tool, a size that is no
// number) is refused at once with exit 1, never found after the whole run.
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';

// vprov-js: vprov with ssh2's native parts blocked (what an install without their scripts runs).
export const TOOLS = ['vprov', 'vprov-js', 'ansible', 'mitogen', 'floor'];

export class BenchOptionError extends Error {}

const whole = (name, text, min = 1) => {
  if (!/^\d+$/.test(String(text).trim()) || Number(text) < min) throw new BenchOptionError(`--${name}: expected a whole number ≥ ${min}, got "${text}"`);
  return Number(text);
};

/** A comma-separated list of whole numbers ('' = none). */
export const sizes = (name, text) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => whole(name, s));

/** --seed: a whole number that fits the simulator's 32-bit generator. */
function seedOf(text) {
  if (!/^\d+$/.test(text.trim()) || Number(text) >= 2 ** 32)
    throw new BenchOptionError(`--seed: expected a whole number from 0 to ${2 ** 32 - 1}, got "${text}"`);
  return Number(text);
}

/** A rate between 0 and 1 (0.05) or a percentage (5%). */
export function rate(name, text) {
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(String(text).trim());
  const r = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(r >= 0 && r <= 1)) throw new BenchOptionError(`--${name}: expected a rate from 0 to 1 or a percentage (0.05, 5%), got "${text}"`);
  return r;
}

/** The file --doc rewrites must exist, be writable and hold the section it names. */
export function checkDoc(file, section) {
  const where = resolve(file);
  if (!existsSync(where)) throw new BenchOptionError(`--doc ${file}: no such file`);
  if (!statSync(where).isFile()) throw new BenchOptionError(`--doc ${file}: not a file`);
  try {
    accessSync(where, constants.R_OK | constants.W_OK);
  } catch (err) {
    throw new BenchOptionError(`--doc ${file}: cannot be read and written (${err.code ?? err.message})`);
  }
  const text = readFileSync(where, 'utf8');
  const start = `<!-- bench:${section} -->`;
  const end = `<!-- /bench:${section} -->`;
  const a = text.indexOf(start);
  if (a < 0 || text.indexOf(end) < a) throw new BenchOptionError(`--doc ${file}: no ${start} … ${end} section to rewrite (--doc-section ${section})`);
}

/** --out: an existing file is replaced, a missing directory is made; anything else in the way is refused. */
export function checkOut(file) {
  let dir = dirname(resolve(file));
  if (existsSync(resolve(file)) && statSync(resolve(file)).isDirectory()) throw new BenchOptionError(`--out ${file}: is a directory`);
  while (!existsSync(dir)) dir = dirname(dir);
  if (!statSync(dir).isDirectory()) throw new BenchOptionError(`--out ${file}: ${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new BenchOptionError(`--out ${file}: ${dir} cannot be written`);
  }
}

/** --baseline DIR: a vprov checkout whose build can run (bin/vprov.js and its bundle). */
export function checkBaseline(dir) {
  const cli = resolve(dir, 'bin', 'vprov.js');
  if (!existsSync(cli)) throw new BenchOptionError(`--baseline ${dir}: no bin/vprov.js there (a vprov checkout, built with npm run build)`);
  if (!existsSync(resolve(dir, 'dist', 'bundle', 'vprov.cjs')))
    throw new BenchOptionError(`--baseline ${dir}: not built (no dist/bundle/vprov.cjs): run npm run build there`);
  return cli;
}

/** run.js's options, parsed and checked; throws BenchOptionError (or parseArgs' own error) on anything wrong. */
export function parseBenchOptions(args) {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        hosts: { type: 'string', default: '12' },
        rounds: { type: 'string', default: '3' },
        tools: { type: 'string', default: TOOLS.join(',') },
        scale: { type: 'string', default: '100,500,1000' },
        'scale-rounds': { type: 'string', default: '1' },
        faults: { type: 'string', default: '0' },
        seed: { type: 'string' },
        baseline: { type: 'string' },
        out: { type: 'string' },
        doc: { type: 'string' },
        'doc-section': { type: 'string', default: 'results' },
      },
    }));
  } catch (err) {
    throw new BenchOptionError(err.message);
  }
  const tools = values.tools.split(',').filter(Boolean);
  const unknown = tools.filter((t) => !TOOLS.includes(t));
  if (unknown.length) throw new BenchOptionError(`--tools: unknown ${unknown.join(', ')} (known: ${TOOLS.join(', ')})`);
  const o = {
    hosts: whole('hosts', values.hosts, 2),
    rounds: whole('rounds', values.rounds),
    tools,
    scale: sizes('scale', values.scale),
    scaleRounds: whole('scale-rounds', values['scale-rounds']),
    out: values.out,
    doc: values.doc,
    docSection: values['doc-section'],
  };
  // --faults RATE: the share of simulated hosts that misbehave (every kind of sim-ssh.js's FAULTS
  // alike); each size runs healthy first, then with the faults, side by side.
  o.faults = rate('faults', values.faults);
  o.seed = values.seed === undefined ? 1 : seedOf(values.seed);
  if (values.seed !== undefined && o.faults === 0) throw new BenchOptionError('--seed: only with --faults RATE (it chooses which hosts are faulty)');
  // --baseline DIR: another vprov build (a checkout with npm run build) measured in the same
  // scale runs, interleaved with this one, against the same simulated hosts.
  if (values.baseline !== undefined) o.baseline = checkBaseline(values.baseline);
  if ((o.faults > 0 || o.baseline) && o.scale.length === 0)
    throw new BenchOptionError(`--${o.faults > 0 ? 'faults' : 'baseline'}: only with --scale SIZES (the simulated hosts)`);
  if (!/^[a-z0-9-]+$/.test(o.docSection)) throw new BenchOptionError(`--doc-section: expected a name like results or results-100, got "${o.docSection}"`);
  if (o.doc) checkDoc(o.doc, o.docSection);
  if (o.out) checkOut(o.out);
  return o;
}

/** shards.js's options, parsed and checked like run.js's: refused before any lab host starts. */
export function parseShardsOptions(args) {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        hosts: { type: 'string', default: '2500' },
        shards: { type: 'string', default: '4' },
        'at-once': { type: 'string' },
        faults: { type: 'string', default: '0.01' },
        seed: { type: 'string', default: '1' },
        'node-every': { type: 'string', default: '4' },
        out: { type: 'string' },
      },
    }));
  } catch (err) {
    throw new BenchOptionError(err.message);
  }
  const o = {
    nodeEvery: whole('node-every', values['node-every']),
    hosts: whole('hosts', values.hosts, 2),
    shards: whole('shards', values.shards),
    faults: rate('faults', values.faults),
    out: values.out,
  };
  o.atOnce = values['at-once'] === undefined ? o.shards : whole('at-once', values['at-once']);
  if (o.atOnce > o.shards) throw new BenchOptionError(`--at-once: at most --shards (${o.shards}), got ${o.atOnce}`);
  if (o.shards > o.hosts) throw new BenchOptionError(`--shards: at most --hosts (${o.hosts}), got ${o.shards}`);
  o.seed = seedOf(values.seed);
  if (o.out) checkOut(o.out);
  return o;
}
