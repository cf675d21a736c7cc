/**
 * Tests that need something from outside the repository (the vendor documents, chromium,
 * systemd-analyze, promtool, docker, …) call `prerequisite` first. Outside CI a missing one skips
 * those tests visibly (vitest counts them as skipped); under CI=true it is a failing test that
 * names what is missing and how CI gets it — CI never passes by skipping.
 */
import { it } from 'vitest';

export const inCI = /^(1|true|yes)$/i.test(process.env.CI ?? '');

/** Returns `available`; registers a failing test under CI when it is false. */
export function prerequisite(name: string, available: boolean, howToGetIt: string): boolean {
  if (!available && inCI) {
    it(`prerequisite: ${name}`, () => {
      throw new Error(`${name} is missing (${howToGetIt}); CI=true does not skip tests`);
    });
  }
  return available;
}
