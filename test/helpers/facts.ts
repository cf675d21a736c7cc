/** Parsed facts for tests that hand a backend or a module a raw facts section. */
import { UnreadableFactError } from '../../src/core/errors.js';
import { readNftFacts, type NftFacts } from '../../src/resources/firewall-nftables.js';
import { readFirewalldFacts, type FirewalldFacts } from '../../src/resources/firewall-firewalld.js';
import type { HostDesired } from '../../src/core/types.js';
import type { AnyModule } from '../../src/resources/module.js';
import type { HostFacts } from '../../src/resources/types.js';
import { planFromRaw } from '../../src/resources/plan.js';

function ok<F>(f: F | UnreadableFactError): F {
  if (f instanceof UnreadableFactError) throw f;
  return f;
}

/** nftables facts from a raw firewall section (throws when they cannot be read). */
export const nftFacts = (raw: string): NftFacts => ok(readNftFacts(raw));
/** firewalld facts from a raw firewall section (throws when they cannot be read). */
export const firewalldFacts = (raw: string): FirewalldFacts => ok(readFirewalldFacts(raw));

/** A module's plan from its raw facts section, as converge makes it (parse, then plan). */
export function planRaw(m: AnyModule, raw: string, desired: HostDesired, host: Partial<HostFacts> = {}) {
  return planFromRaw(m, raw, desired, { controllerAddress: null, sshPort: 22, systemd: false, ...host });
}
