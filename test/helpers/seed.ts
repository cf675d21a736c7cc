/**
 * The seed of a generated lab tier: CI runs one pinned seed, so a merge never depends on the
 * draw; elsewhere every run draws a new one to look for what no seed found yet. ENV=N replays a
 * run; ENV=random draws one in CI too.
 */
export function tierSeed(envName: string, pinned: number): number {
  const fromEnv = process.env[envName];
  if (fromEnv && fromEnv !== 'random') return Number(fromEnv);
  return process.env.CI === 'true' && fromEnv !== 'random' ? pinned : Math.floor(Math.random() * 2 ** 31);
}
