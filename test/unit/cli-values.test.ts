/** Bad command-line values and inventory fields are exit 1 with what is accepted, before anything is read or contacted. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { vprov } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vprov-values-'));
// The inventory names a host nobody can reach: a value that slipped through would fail with exit 4, not 1.
const inv = join(dir, 'inv.yaml');
writeFileSync(
  inv,
  `product: storware\nplatforms: [{ platform: openstack, method: SSH transfer }]\ndefaults: { firewall: nftables }\nnetworks: { node: [192.0.2.0/24] }\nhosts: { h1: { address: 192.0.2.1, roles: [hypervisor], ssh: { port: 1, connectTimeout: 1 } } }\n`,
);

describe('CLI values', () => {
  const bad: [string[], RegExp][] = [
    [['plan', '--forks', 'abc'], /^error: --forks: expected a whole number from 1 to 1000, got not a number$/m],
    [['plan', '--forks', '0'], /^error: --forks: expected a whole number from 1 to 1000, got 0$/m],
    [['apply', '--forks', '2.5'], /^error: --forks: expected a whole number from 1 to 1000, got 2\.5$/m],
    [['apply', '--timeout', '-5'], /^error: --timeout: expected seconds, more than 0 and at most 86400, got -5$/m],
    [['drift', '--forks', '-1'], /^error: --forks: expected a whole number from 1 to 1000, got -1$/m],
    [['drift', '--shard', '3/2'], /^error: --shard: expected i\/n with 1 ≤ i ≤ n, got "3\/2"$/m],
  ];
  it.each(bad)('%j is exit 1 naming the option', async (args, message) => {
    const r = await vprov(args[0]!, '-i', inv, ...args.slice(1));
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/Cannot read properties|TypeError/);
    expect(r.code).toBe(1);
  });

  it('schedule export --shards 0 is refused', async () => {
    const r = await vprov('schedule', 'export', '--kubernetes', '--shards', '0');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: --shards: expected a whole number from 1 to 1000, got 0$/m);
  });

  it('an inventory union names what it accepts; an empty inventory says so', async () => {
    const fw = join(dir, 'iptables.yaml');
    writeFileSync(
      fw,
      `product: storware\nplatforms: [{ platform: openstack, method: SSH transfer }]\ndefaults: { firewall: iptables }\nhosts: { h1: { address: 192.0.2.1, roles: [node] } }\n`,
    );
    const r = await vprov('plan', '-i', fw);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /iptables\.yaml:3: defaults\.firewall: expected auto \| nftables \| firewalld \| none, or \{ backend, inputPolicy, sshAdmins, confirmTimeout \}/,
    );
    const empty = join(dir, 'empty.yaml');
    writeFileSync(empty, '# nothing yet\n');
    const e = await vprov('plan', '-i', empty);
    expect(e.code).toBe(1);
    expect(e.stderr).toBe(`error: ${empty}: inventory is empty\n`);
  });
});
