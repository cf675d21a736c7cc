#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/bundle/ by `npm run build` (`prepare` on `npm ci`).
// `--version` alone is answered here: loading yargs and the CLI would cost most of its time.
if (process.argv.length === 3 && process.argv[2] === '--version') {
  const { readFileSync } = await import('node:fs');
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  let cli;
  try {
    cli = await import('../dist/bundle/main.js');
  } catch (err) {
    // A missing or broken build is vprov's own failure, never bad input (exit 1): exit 4, as the
    // CLI does for any unexpected failure, with what to do about it. There is no fallback.
    process.stderr.write(`error: vprov failed unexpectedly (its bundle dist/bundle/main.js cannot be loaded: ${err?.message ?? err}); run npm run build, or reinstall vprov\n`);
    process.exitCode = 4;
  }
  if (cli) process.exitCode = await cli.main(process.argv.slice(2));
}
