/** A module's plan from its raw facts section: parse, then plan; facts that cannot be read fail the resource with their cause. */
import type { HostDesired } from '../core/types.js';
import { UnreadableFactError } from '../core/errors.js';
import { parseFacts, type AnyModule } from './module.js';
import { HostDataError } from './host-data.js';
import { failedPlan, type HostFacts, type ResourcePlan } from './types.js';

export function planFromRaw(m: AnyModule, raw: string, desired: HostDesired, host: HostFacts): ResourcePlan {
  return planFromParsed(m, parseFacts(m, raw, desired), desired, host);
}

/** The plan from facts already parsed (parseFacts), for a caller that reads them again (the foreign-state report). */
export function planFromParsed(m: AnyModule, facts: unknown, desired: HostDesired, host: HostFacts): ResourcePlan {
  if (facts instanceof UnreadableFactError) return failedPlan(m.kind, facts.message);
  try {
    return m.plan(facts, desired, host);
  } catch (err) {
    // a backend's facts read only in the plan (firewall: none's leftovers)
    if (err instanceof UnreadableFactError || err instanceof HostDataError) return failedPlan(m.kind, err.message);
    throw err;
  }
}
