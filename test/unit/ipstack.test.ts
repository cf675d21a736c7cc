/**
 * The ipstack resource, pyinfra style: raw facts sections in → plan (or the parse error) out, one
 * row per case; the olvm Manager and the App Layering appliance take their requirement from the
 * catalog (seeds 003 and 004), with the document's sentence.
 */
import { describe, expect, it } from 'vitest';
import { ipstackResource, DROPIN } from '../../src/resources/ipstack.js';
import { compile } from '../helpers/compile.js';
import { exportHostRequirements } from '../../src/catalog/export.js';
import { catalog, inventoryOf } from '../helpers/catalog.js';
import { planRaw } from '../helpers/facts.js';

const olvm = inventoryOf({
  product: 'olvm',
  platforms: [{ platform: 'olvm' }],
  hosts: { engine: { address: '192.0.2.50', roles: ['manager'] }, kvm1: { address: '192.0.2.51', roles: ['kvm-host'] } },
});
const olvmHosts = compile(olvm).hosts;
const engine = olvmHosts.find((h) => h.name === 'engine')!;
const SENTENCE = 'Oracle Linux Virtualization Manager requires IPv6 to remain enabled on the computer or virtual machine where you are running the Manager.';

/** What vprov writes to its drop-in, as the facts script prints it. */
const DROPIN_BASE64 = Buffer.from(
  '# Managed by vprov: IPv6 stays enabled (the product documents require it).\nnet.ipv6.conf.all.disable_ipv6 = 0\nnet.ipv6.conf.default.disable_ipv6 = 0\n',
).toString('base64');
const v6 = (runtime: string, lines: string[] = [], boot = 'no', dropin = 'absent') =>
  [`runtime=${runtime}`, `boot_disabled=${boot}`, ...lines.map((l) => `line=${l}`), `dropin=${dropin}`].join('\n');

describe('ipstack: IPv6 kept enabled on the OLVM Manager (raw facts → plan)', () => {
  it('only the Manager carries the requirement, with its document and section', () => {
    expect(engine.ipstack?.checks).toEqual([
      expect.objectContaining({ id: 'ipv6-enabled', sources: ['003_378dd85a2eeb4b0d.txt'], section: 'Firewall Requirements (Note)' }),
    ]);
    expect(engine.ipstack!.checks[0]!.statement).toContain(SENTENCE);
    expect(olvmHosts.find((h) => h.name === 'kvm1')!.ipstack).toBeNull();
  });

  it.each([
    ['enabled everywhere: nothing to do', v6('0 0'), 'ok', []],
    ['disabled at runtime only: the runtime values', v6('1 0'), 'pending', ['~ net.ipv6.conf.all.disable_ipv6 1 → 0 (runtime)']],
    [
      "disabled in a sysctl.d file: vprov's drop-in, which sorts after it",
      v6('1 1', ['/etc/sysctl.d/90-noipv6.conf:1:net.ipv6.conf.all.disable_ipv6=1']),
      'pending',
      [
        `+ ${DROPIN} (net.ipv6.conf.all/default.disable_ipv6 = 0, read after /etc/sysctl.d/90-noipv6.conf:1)`,
        '~ net.ipv6.conf.all.disable_ipv6 1 → 0 (runtime)',
        '~ net.ipv6.conf.default.disable_ipv6 1 → 0 (runtime)',
      ],
    ],
    [
      'the drop-in already written after that file (the re-apply): nothing to do',
      v6(
        '0 0',
        [
          '/etc/sysctl.d/90-noipv6.conf:1:net.ipv6.conf.all.disable_ipv6=1',
          `${DROPIN}:2:net.ipv6.conf.all.disable_ipv6 = 0`,
          `${DROPIN}:3:net.ipv6.conf.default.disable_ipv6 = 0`,
        ],
        'no',
        DROPIN_BASE64,
      ),
      'ok',
      [],
    ],
    [
      'a drop-in of other content, after that file: rewritten',
      v6('0 0', ['/etc/sysctl.d/90-noipv6.conf:1:net.ipv6.conf.all.disable_ipv6=1'], 'no', Buffer.from('# edited\n').toString('base64')),
      'pending',
      [`~ ${DROPIN} (net.ipv6.conf.all/default.disable_ipv6 = 0, read after /etc/sysctl.d/90-noipv6.conf:1)`],
    ],
    ['a file that sets 0 is no reason for a drop-in', v6('0 0', ['/usr/lib/sysctl.d/50-default.conf:3:net/ipv6/conf/default/disable_ipv6 = 0']), 'ok', []],
  ])('%s', (_, raw, status, changes) => {
    const p = planRaw(ipstackResource, raw, engine);
    expect(p.status).toBe(status);
    expect(p.changes).toEqual(changes);
    expect(p.notes.join('\n')).toContain(SENTENCE);
  });

  it('booted with ipv6.disable=1: not met, the boot-loader fix named, nothing edited', () => {
    const p = planRaw(ipstackResource, v6('absent', [], 'yes'), engine);
    expect(p.status).toBe('pending');
    expect(p.changes).toEqual([
      expect.stringMatching(
        /^! the kernel was booted with ipv6\.disable=1: not met: boot-loader change \+ reboot needed \(remove ipv6\.disable=1 .*grubby.*\); "Oracle Linux Virtualization Manager requires IPv6/,
      ),
    ]);
    // one line that only says so: nothing on the host is written
    expect(p.script.split('\n')).toEqual([expect.stringMatching(/^echo '.*' >&2; exit 3$/)]);
  });

  it('/etc/sysctl.conf disabling it is read after the drop-in: refused, naming the line to remove', () => {
    const p = planRaw(ipstackResource, v6('1 1', ['/etc/sysctl.conf:12:net.ipv6.conf.all.disable_ipv6 = 1']), engine);
    expect(p.changes[0]).toMatch(/^! \/etc\/sysctl\.conf:12 \(net\.ipv6\.conf\.all\.disable_ipv6 = 1\) disables IPv6 and is read after vprov's drop-in/);
  });

  it('the runtime write names the file and the reason when /proc/sys is read-only', () => {
    expect(planRaw(ipstackResource, v6('1 0'), engine).script).toMatch(/writing \/proc\/sys\/net\/ipv6\/conf\/all\/disable_ipv6 failed: \$out/);
  });

  it.each([
    ['no runtime line', 'boot_disabled=no\ndropin=absent', /cannot read disable_ipv6/],
    ['a drop-in that exists but cannot be read', v6('0 0', [], 'no', '!unreadable'), /cannot read \/etc\/sysctl\.d\/zz-vprov-ipv6\.conf on the host/],
  ])('facts that cannot be read fail the resource with their cause: %s', (_, raw, error) => {
    expect(planRaw(ipstackResource, raw, engine)).toMatchObject({ status: 'failed', error: expect.stringMatching(error) });
  });
});

describe('ipstack: the App Layering appliance has an IPv4 address (verified only)', () => {
  const inv = inventoryOf({
    product: 'app-layering',
    platforms: [{ platform: 'appliance' }],
    hosts: { appliance: { address: '192.0.2.30', roles: ['appliance'] } },
  });
  const hosts = compile(inv).hosts;
  const appliance = hosts[0]!;

  it.each([
    ['an address: ok', 'ipv4_read=yes\nipv4=192.0.2.30/24 eth0', 'ok', []],
    [
      'none: not met, nothing configured',
      'ipv4_read=yes',
      'pending',
      [
        expect.stringMatching(
          /^! no IPv4 address on this host: "The App Layering appliance uses the TCP\/IP protocol, and IPv4 is required\." \(004_1bba7742d99b4ea2\.txt, Firewall ports\)/,
        ),
      ],
    ],
  ])('%s', (_, raw, status, changes) => {
    const p = planRaw(ipstackResource, raw, appliance);
    expect(p.status).toBe(status);
    expect(p.changes).toEqual(changes);
  });

  it('no ip command: a failure with its cause', () => {
    expect(planRaw(ipstackResource, 'ipv4_read=no', appliance)).toMatchObject({ status: 'failed', error: expect.stringMatching(/iproute2/) });
  });
});

describe('catalog export lists the host requirements with their provenance', () => {
  it('olvm and app-layering', () => {
    expect(exportHostRequirements(catalog).map((h) => [h.product, h.resource, h.id, h.roles, h.sources, h.section])).toEqual([
      ['app-layering', 'ipstack', 'ipv4-address', ['appliance'], ['004_1bba7742d99b4ea2.txt'], 'Firewall ports'],
      ['olvm', 'ipstack', 'ipv6-enabled', ['manager'], ['003_378dd85a2eeb4b0d.txt'], 'Firewall Requirements (Note)'],
    ]);
  });
});
