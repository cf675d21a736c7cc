/**
 * Host names in `address` are resolved once, when the inventory is loaded: a name that does
 * not resolve stops the run before any host is touched. Leaving the host out of its peers'
 * source sets instead would turn a DNS blip into a firewall change (cut VDSM, migrations).
 */
import { lookup } from 'node:dns/promises';
import { InputError } from '../core/errors.js';
import { familyOf } from '../core/net.js';
import type { Inventory } from '../inventory/load.js';

export type Lookup = (name: string) => Promise<string[]>;

const systemLookup: Lookup = async (name) => (await lookup(name, { all: true })).map((r) => r.address);

/** Every DNS name among the hosts' addresses → its addresses; throws naming each one that did not resolve. */
export async function resolveHostAddresses(inv: Inventory, resolve: Lookup = systemLookup): Promise<Map<string, string[]>> {
  const hosts = Object.entries(inv.data.hosts).filter(([, h]) => familyOf(h.address) === null);
  const names = [...new Set(hosts.map(([, h]) => h.address))];
  const out = new Map<string, string[]>();
  const failed = new Map<string, string>();
  await Promise.all(
    names.map(async (n) => {
      try {
        const list = await resolve(n);
        if (list.length === 0) failed.set(n, 'no address');
        else out.set(n, list);
      } catch (err) {
        failed.set(n, (err as NodeJS.ErrnoException).code ?? (err as Error).message);
      }
    }),
  );
  const problems = hosts
    .filter(([, h]) => failed.has(h.address))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, h]) => {
      const reason = `"${h.address}" does not resolve (${failed.get(h.address)}): nothing was touched; fix the name or give the host's IP address`;
      return inv.locate ? inv.locate(['hosts', name, 'address'], reason) : `${inv.file}: hosts.${name}.address: ${reason}`;
    });
  if (problems.length > 0) throw new InputError(problems[0]!, inv.file, problems);
  return out;
}
