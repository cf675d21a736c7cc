/**
 * `npm run bench` refuses bad options before the run: a bench is minutes of a shared machine,
 * and a --doc file that does not exist used to crash it after the whole run.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
// @ts-expect-error plain JavaScript of the bench, no types
import { parseBenchOptions, parseShardsOptions } from '../bench/lib/options.js';

const RUN = fileURLToPath(new URL('../bench/run.js', import.meta.url));
const SHARDS = fileURLToPath(new URL('../bench/shards.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vprov-bench-opts-'));
const doc = join(dir, 'bench.md');
writeFileSync(doc, 'x\n<!-- bench:results -->\nold\n<!-- /bench:results -->\n');

describe('bench options', () => {
  it('a --doc file that does not exist stops the bench at once with exit 1, before any lab host starts', () => {
    const missing = join(dir, 'nope.md');
    const t0 = Date.now();
    // PATH without docker: had the bench gone on to start its fleet, it would fail differently.
    const r = spawnSync(process.execPath, [RUN, '--doc', missing], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, PATH: '/nonexistent' } });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toBe(`bench: --doc ${missing}: no such file\n`);
    expect(r.stdout).toBe('');
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  it.each([
    [['--doc', join(dir, 'nope.md')], /--doc .*nope\.md: no such file/],
    [['--doc', doc, '--doc-section', 'results-100'], /no <!-- bench:results-100 --> … <!-- \/bench:results-100 --> section/],
    [['--doc', dir], /--doc .*: not a file/],
    [['--hosts', 'twelve'], /--hosts: expected a whole number ≥ 2, got "twelve"/],
    [['--hosts', '1'], /--hosts: expected a whole number ≥ 2, got "1"/],
    [['--rounds', '0'], /--rounds: expected a whole number ≥ 1, got "0"/],
    [['--tools', 'vprov,ansibel'], /--tools: unknown ansibel \(known: vprov, vprov-js, ansible, mitogen, floor\)/],
    [['--scale', '100,1k'], /--scale: expected a whole number ≥ 1, got "1k"/],
    [['--scale-rounds', '-1'], /--scale-rounds/],
    [['--out', dir], /--out .*: is a directory/],
    [['--out', join(doc, 'x.json')], /--out .*: .*bench\.md is not a directory/],
    [['--hots', '3'], /Unknown option '--hots'/],
    [['--faults', 'lots'], /--faults: expected a rate from 0 to 1 or a percentage \(0\.05, 5%\), got "lots"/],
    [['--faults', '150%'], /--faults: expected a rate from 0 to 1 or a percentage/],
    [['--faults', '1.5'], /--faults: expected a rate from 0 to 1 or a percentage/],
    [['--faults', '5%', '--seed', 'abc'], /--seed: expected a whole number from 0 to 4294967295, got "abc"/],
    [['--faults', '5%', '--seed', '4294967296'], /--seed: expected a whole number from 0 to 4294967295, got "4294967296"/],
    [['--faults', '5%', '--seed=-1'], /--seed: expected a whole number/],
    [['--seed', '7'], /--seed: only with --faults RATE/],
    [['--faults', '5%', '--scale', ''], /--faults: only with --scale SIZES/],
    [['--baseline', dir], /--baseline .*: no bin\/vprov\.js there/],
  ])('%j is refused: %s', (args, why) => {
    expect(() => parseBenchOptions(args)).toThrow(why);
  });

  it('a --doc file that cannot be written is refused', () => {
    if (process.getuid?.() === 0) return; // root writes anything: nothing to refuse
    const ro = join(dir, 'ro.md');
    writeFileSync(ro, '<!-- bench:results -->\n<!-- /bench:results -->\n');
    chmodSync(ro, 0o444);
    expect(() => parseBenchOptions(['--doc', ro])).toThrow(/cannot be read and written/);
  });

  it('a bad --faults or --seed stops the bench at once with exit 1, before any lab host starts', () => {
    const r = spawnSync(process.execPath, [RUN, '--scale', '1000', '--faults', '5%', '--seed', 'x'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, PATH: '/nonexistent' },
    });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toBe('bench: --seed: expected a whole number from 0 to 4294967295, got "x"\n');
  });

  it('--faults as a rate or a percentage, --seed, --baseline of a built checkout', () => {
    expect(parseBenchOptions(['--scale', '1000,10000', '--faults', '5%', '--seed', '42'])).toMatchObject({ faults: 0.05, seed: 42 });
    expect(parseBenchOptions(['--faults', '0.05'])).toMatchObject({ faults: 0.05, seed: 1 });
    expect(parseBenchOptions([])).toMatchObject({ faults: 0 });
    const base = join(dir, 'base');
    mkdirSync(join(base, 'bin'), { recursive: true });
    writeFileSync(join(base, 'bin', 'vprov.js'), '');
    expect(() => parseBenchOptions(['--baseline', base])).toThrow(/--baseline .*base: not built \(no dist\/bundle\/vprov\.cjs\)/);
    mkdirSync(join(base, 'dist', 'bundle'), { recursive: true });
    writeFileSync(join(base, 'dist', 'bundle', 'vprov.cjs'), '');
    expect(parseBenchOptions(['--baseline', base]).baseline).toBe(join(base, 'bin', 'vprov.js'));
  });

  it('good options are parsed into numbers and lists', () => {
    const o = parseBenchOptions(['--doc', doc, '--scale', '1000, 10000', '--tools', 'vprov,floor', '--out', join(dir, 'new', 'r.json')]);
    expect(o).toMatchObject({ hosts: 12, rounds: 3, tools: ['vprov', 'floor'], scale: [1000, 10000], docSection: 'results' });
    expect(parseBenchOptions(['--scale', '']).scale).toEqual([]);
  });
});

describe('shards bench options', () => {
  it.each([
    [['--hosts', '40k'], /--hosts: expected a whole number ≥ 2, got "40k"/],
    [['--shards', '0'], /--shards: expected a whole number ≥ 1, got "0"/],
    [['--hosts', '3', '--shards', '4'], /--shards: at most --hosts \(3\), got 4/],
    [['--at-once', '5'], /--at-once: at most --shards \(4\), got 5/],
    [['--at-once', 'all'], /--at-once: expected a whole number ≥ 1, got "all"/],
    [['--faults', '101%'], /--faults: expected a rate from 0 to 1 or a percentage/],
    [['--seed=-3'], /--seed: expected a whole number/],
    [['--out', dir], /--out .*: is a directory/],
    [['--apply'], /Unknown option '--apply'/],
    [['--node-every', '0'], /--node-every: expected a whole number ≥ 1, got "0"/],
  ])('%j is refused: %s', (args, why) => {
    expect(() => parseShardsOptions(args)).toThrow(why);
  });

  it('a bad option stops the shards bench at once with exit 1, before any lab host starts', () => {
    const r = spawnSync(process.execPath, [SHARDS, '--hosts', '40000', '--at-once', '8'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, PATH: '/nonexistent' },
    });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toBe('shards bench: --at-once: at most --shards (4), got 8\n');
  });

  it('good options: 40,000 hosts as 4 shards, two at once', () => {
    expect(parseShardsOptions(['--hosts', '40000', '--at-once', '2', '--faults', '1%', '--seed', '7'])).toEqual({
      hosts: 40000,
      shards: 4,
      atOnce: 2,
      faults: 0.01,
      seed: 7,
      nodeEvery: 4,
      out: undefined,
    });
    expect(parseShardsOptions([])).toMatchObject({ hosts: 2500, shards: 4, atOnce: 4, faults: 0.01, seed: 1 });
  });
});
