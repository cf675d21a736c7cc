/**
 * vprov reads Ansible inventories as Ansible does: for each inventory shape of Ansible's guide
 * (test/fixtures/ansible/shapes), the hosts, each group's members and the connection variables
 * after Ansible's precedence equal what `ansible-inventory --list` (Debian's ansible) prints.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { parseAnsibleIni, parseAnsibleYaml, resolveAnsible, ansibleHosts } from '../../src/inventory/ansible.js';
import { readVarsDirs } from '../../src/inventory/ansible-vars.js';
import { prerequisite } from '../helpers/prerequisite.js';

const SHAPES = fileURLToPath(new URL('../fixtures/ansible/shapes/', import.meta.url));
const CASES = ['basic/hosts.ini', 'ranges/hosts.ini', 'inherit/hosts.ini', 'yaml/hosts.yml', 'vardirs/hosts.ini', 'multigroup/hosts.yaml'];
const CONNECTION = [
  'ansible_host',
  'ansible_ssh_host',
  'ansible_port',
  'ansible_ssh_port',
  'ansible_user',
  'ansible_ssh_user',
  'ansible_ssh_private_key_file',
  'ansible_private_key_file',
  'ansible_become',
];

function hasAnsible(): boolean {
  try {
    execFileSync('ansible-inventory', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Listed {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
  [group: string]: { hosts?: string[]; children?: string[] } | Listed['_meta'];
}

function ansibleList(file: string): Listed {
  // Ansible's defaults only: an empty config of its own, no ansible.cfg from the caller.
  const home = mkdtempSync(join(tmpdir(), 'vprov-ansible-'));
  writeFileSync(join(home, 'ansible.cfg'), '[defaults]\n');
  const out = execFileSync('ansible-inventory', ['-i', file, '--list'], {
    encoding: 'utf8',
    cwd: home,
    env: { PATH: process.env.PATH, HOME: home, ANSIBLE_INVENTORY_UNPARSED_FAILED: 'true', ANSIBLE_LOCAL_TEMP: home, ANSIBLE_CONFIG: join(home, 'ansible.cfg') },
  });
  return JSON.parse(out) as Listed;
}

/** group → every host in it, through children, from ansible-inventory's listing. */
function members(listed: Listed): Map<string, Set<string>> {
  const groups = Object.keys(listed).filter((g) => g !== '_meta');
  const of = (g: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(g)) return new Set();
    seen.add(g);
    const node = (listed[g] ?? {}) as { hosts?: string[]; children?: string[] };
    return new Set([...(node.hosts ?? []), ...(node.children ?? []).flatMap((c) => [...of(c, seen)])]);
  };
  return new Map(groups.map((g) => [g, of(g)]));
}

const read = (rel: string) => {
  const file = join(SHAPES, rel);
  const text = readFileSync(file, 'utf8');
  return readVarsDirs(/\.ya?ml$/.test(file) ? parseAnsibleYaml(text, file) : parseAnsibleIni(text, file));
};

describe.runIf(prerequisite('ansible-inventory', hasAnsible(), 'apt-get install ansible; .ci/run installs it'))(
  'Ansible inventories as ansible-inventory --list reads them',
  () => {
    it.each(CASES)('%s: same hosts, groups and connection values', (rel) => {
      const listed = ansibleList(join(SHAPES, rel));
      const resolved = resolveAnsible(read(rel));
      expect([...resolved.keys()].sort()).toEqual(Object.keys(listed._meta.hostvars).sort());
      const ours = new Map<string, Set<string>>();
      for (const [host, r] of resolved) for (const g of r.groups) ours.set(g, new Set([...(ours.get(g) ?? []), host]));
      const theirs = members(listed);
      theirs.set('all', new Set(Object.keys(listed._meta.hostvars)));
      const sorted = (m: Map<string, Set<string>>) =>
        Object.fromEntries(
          [...m]
            .filter(([, h]) => h.size > 0)
            .map(([g, h]) => [g, [...h].sort()])
            .sort(),
        );
      expect(sorted(ours)).toEqual(sorted(theirs));
      for (const [host, r] of resolved) {
        const pick = (vars: Record<string, unknown>) => Object.fromEntries(CONNECTION.filter((k) => vars[k] !== undefined).map((k) => [k, vars[k]]));
        expect({ host, ...pick(r.vars) }).toEqual({ host, ...pick(listed._meta.hostvars[host]!) });
      }
    });
  },
);

describe('what vprov makes of the connection values', () => {
  it('user, port, key, become and address per host, the way Ansible would connect', () => {
    const imp = ansibleHosts(read('multigroup/hosts.yaml'), { zeta: 'node', alpha: 'node' });
    expect(imp.hosts['only-zeta']).toEqual({ address: '192.0.2.9', roles: ['node'], ssh: { host: '192.0.2.9', port: 2022, user: 'legacy' } });
    expect(imp.hosts.shared).toEqual({ address: 'shared', roles: ['node'], ssh: { port: 2001, user: 'beta', become: true } });
    expect(imp.notUnderstood).toEqual(['ansible_connection (shared)']);
  });

  it('group_vars/ and host_vars/ beside the inventory; what vprov does not use is listed once', () => {
    const imp = ansibleHosts(read('vardirs/hosts.ini'), { webservers: 'hypervisor', dbservers: 'node' });
    expect(imp.hosts['foo.example.com']).toEqual({
      address: '192.0.2.10',
      roles: ['hypervisor'],
      ssh: { host: '192.0.2.10', port: 2210, user: 'ops', identityFile: '~/.ssh/id_ed25519', become: false },
    });
    expect(imp.hosts['db1.example.com']).toEqual({ address: 'db1.example.com', roles: ['node'], ssh: { user: 'dba', identityFile: '~/.ssh/id_ed25519' } });
    expect(imp.notUnderstood).toEqual(['ansible_ssh_common_args (bar.example.com, foo.example.com)']);
  });

  it('a --role-map group the inventory lacks is an error with the closest group', () => {
    expect(() => ansibleHosts(read('basic/hosts.ini'), { webserver: 'node' })).toThrow(
      /--role-map: .*hosts\.ini has no group "webserver" \(groups: dbservers, webservers\); did you mean "webservers"\?/,
    );
  });

  it('an undefined child group is refused as Ansible refuses it, with file and line', () => {
    expect(() => parseAnsibleIni('[a:children]\nb\n', 'x.ini')).toThrow(/x\.ini:2: section \[a:children\] includes undefined group: b/);
  });
});
