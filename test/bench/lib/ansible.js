// The same end state as an Ansible playbook, as a competent user writes it: account, sudoers
// file validated by visudo, the persisted nft file, the live table (loaded when it or the file
// differs; in check mode, a live table that differs counts as a change) and the SELinux config.
// Desired contents are read from a host vprov converged, so both tools aim at identical bytes.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

const READ_DESIRED = `set -e
echo "@@nft"; cat /etc/vprov/vprov.nft
echo "@@live"; nft -s list table inet vprov
if [ -f /etc/sudoers.d/vprotect ]; then echo "@@sudoers"; cat /etc/sudoers.d/vprotect; fi
if getent passwd vprotect >/dev/null; then echo "@@account"; getent passwd vprotect | cut -d: -f6,7; id -nG vprotect; fi
echo "@@selinux"; grep '^SELINUX=' /etc/selinux/config`;

function sections(text) {
  const out = {};
  let cur = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('@@')) out[(cur = line.slice(2))] = [];
    else if (cur) out[cur].push(line);
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.join('\n')]));
}

/** Per-host variables from a converged fleet (read from outside). */
export async function desiredFrom(fleet) {
  return fleet.each(async (h) => {
    const s = sections(await fleet.must(h, READ_DESIRED));
    // cat adds nothing and $(…) strips nothing here: file contents keep their final newline.
    const vars = { nft_content: `${`${s.nft}`.replace(/\n$/, '')}\n`, live_table: s.live.replace(/\n$/, ''), selinux_line: s.selinux.trim() };
    if (s.sudoers !== undefined) vars.sudoers_content = `${s.sudoers.replace(/\n$/, '')}\n`;
    if (s.account !== undefined) {
      const [homeShell, groups] = s.account.split('\n');
      const [home, shell] = homeShell.split(':');
      vars.account = {
        home,
        shell,
        groups: groups
          .trim()
          .split(/\s+/)
          .filter((g) => g !== 'vprotect')
          .join(','),
      };
    }
    return vars;
  });
}

export function writeAnsible(dir, fleet, desired) {
  const hosts = {};
  for (const h of fleet.lab.hosts) hosts[h.name] = { ansible_host: h.sshHost, ansible_port: h.sshPort, ...desired[h.name] };
  const inventory = join(dir, 'ansible-inventory.yml');
  writeFileSync(
    inventory,
    stringify({
      all: { hosts, vars: { ansible_user: 'ops', ansible_ssh_private_key_file: fleet.lab.keyFile, ansible_python_interpreter: '/usr/bin/python3' } },
    }),
  );
  const playbook = join(dir, 'storware.yml');
  writeFileSync(
    playbook,
    stringify([
      {
        name: 'Storware (openstack, SSH transfer) host requirements',
        hosts: 'all',
        gather_facts: false,
        become: true,
        tasks: [
          {
            name: 'vprotect account',
            'ansible.builtin.user': {
              name: 'vprotect',
              system: true,
              create_home: true,
              home: '{{ account.home }}',
              shell: '{{ account.shell }}',
              groups: '{{ account.groups }}',
              append: true,
            },
            when: 'account is defined',
          },
          {
            name: 'sudoers drop-in',
            'ansible.builtin.copy': {
              dest: '/etc/sudoers.d/vprotect',
              content: '{{ sudoers_content }}',
              mode: '0440',
              owner: 'root',
              group: 'root',
              validate: 'visudo -cf %s',
            },
            when: 'sudoers_content is defined',
          },
          { name: 'nft directory', 'ansible.builtin.file': { path: '/etc/vprov', state: 'directory', mode: '0755' } },
          {
            name: 'persisted nft table',
            'ansible.builtin.copy': { dest: '/etc/vprov/vprov.nft', content: '{{ nft_content }}', mode: '0644' },
            register: 'nft_file',
          },
          {
            name: 'live nft table',
            'ansible.builtin.command': 'nft -s list table inet vprov',
            register: 'live',
            check_mode: false,
            failed_when: false,
            changed_when: 'live.stdout != live_table',
          },
          { name: 'load nft table', 'ansible.builtin.command': 'nft -f /etc/vprov/vprov.nft', when: 'nft_file.changed or live.stdout != live_table' },
          { name: 'SELinux mode', 'ansible.builtin.lineinfile': { path: '/etc/selinux/config', regexp: '^SELINUX=', line: '{{ selinux_line }}' } },
        ],
      },
    ]),
  );
  return { inventory, playbook };
}

/** Tuned as far as Ansible goes for this: pipelining, no fact gathering, one fork per host. */
export function ansibleEnv(n, controlDir, extra = {}) {
  return {
    ...process.env,
    ANSIBLE_HOST_KEY_CHECKING: 'False',
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_GATHERING: 'explicit',
    ANSIBLE_FORKS: String(n),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
    // On a loaded machine the 10 s default times out; vprov's connect timeout is longer too.
    ANSIBLE_TIMEOUT: '30',
    ANSIBLE_LOCAL_TEMP: join(controlDir, 'tmp'),
    // Its default ControlPersist, in a directory of this run: masters are ended after each run,
    // so every run starts cold as a scheduled one would.
    ANSIBLE_SSH_CONTROL_PATH_DIR: controlDir,
    ...extra,
  };
}

/** Changed count summed over the recap ("changed=N"), or null when no recap. */
export function changedCount(stdout) {
  const m = [...stdout.matchAll(/changed=(\d+)/g)];
  return m.length ? m.reduce((s, x) => s + Number(x[1]), 0) : null;
}

export function failedCount(stdout) {
  const m = [...stdout.matchAll(/(?:failed|unreachable)=(\d+)/g)];
  return m.length ? m.reduce((s, x) => s + Number(x[1]), 0) : null;
}

export function ansibleVersion() {
  const r = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : null;
}

/** Debian's ansible-mitogen strategy, when installed: its version, or why it cannot run. */
export function mitogenStrategy() {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'ansible-mitogen'], { encoding: 'utf8' });
  if (r.status !== 0) return { ok: false, why: 'ansible-mitogen is not installed (apt-get install ansible-mitogen)' };
  return { ok: true, version: r.stdout.trim(), env: { ANSIBLE_STRATEGY: 'mitogen_linear' } };
}
