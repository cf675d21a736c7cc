#!/usr/bin/env node
// Benchmark: a no-op drift check with vprov vs Ansible's check mode on the same lab hosts,
// side by side in one run. The playbook manages the same state (account, sudoers file with
// visudo validation, persisted nft file, live table read, SELinux config), with contents read
// back from the hosts after `vprov apply`, so both tools find nothing to change.
// Needs: ansible-core (apt-get install ansible-core), the lab, npm run build.
// Usage: node test/bench/vs-ansible.js [hosts=10] [rounds=3]
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { startLab } from '../lab/hosts.js';

const n = Number(process.argv[2] ?? 10);
const rounds = Number(process.argv[3] ?? 3);
const cli = fileURLToPath(new URL('../../bin/vprov.js', import.meta.url));
if (spawnSync('ansible-playbook', ['--version']).status !== 0) {
  console.error('ansible-playbook not found: apt-get install ansible-core');
  process.exitCode = 1;
} else {
  const names = Array.from({ length: n }, (_, i) => `a${i + 1}`);
  const lab = await startLab(names.map((name) => ({ name })));
  try {
    const roles = Object.fromEntries(names.map((h, i) => [h, [i % 4 === 0 ? 'node' : 'hypervisor']]));
    const inv = lab.writeInventory('bench.yaml', { roles });
    const applied = spawnSync(process.execPath, [cli, 'apply', '-i', inv], { encoding: 'utf8' });
    if (applied.status !== 0) throw new Error(`vprov apply failed:\n${applied.stdout}`);

    const hosts = {};
    for (const h of lab.hosts) {
      const vars = { ansible_host: h.sshHost, ansible_port: h.sshPort, nft_content: (await lab.exec(h.name, 'cat /etc/vprov/vprov.nft')).stdout };
      if (roles[h.name][0] === 'node') vars.sudoers_content = (await lab.exec(h.name, 'cat /etc/sudoers.d/vprotect')).stdout;
      hosts[h.name] = vars;
    }
    const ansibleInv = join(lab.dir, 'ansible.yml');
    writeFileSync(ansibleInv, stringify({ all: { hosts, vars: { ansible_user: 'ops', ansible_ssh_private_key_file: lab.keyFile, ansible_python_interpreter: '/usr/bin/python3' } } }));
    const playbookFor = (gather) => {
      const path = join(lab.dir, `play-${gather ? 'facts' : 'nofacts'}.yml`);
      writeFileSync(
      path,
      stringify([
        {
          hosts: 'all',
          gather_facts: gather,
          become: true,
          tasks: [
            { name: 'account', 'ansible.builtin.user': { name: 'vprotect', system: true, groups: 'disk', append: true }, when: 'sudoers_content is defined' },
            { name: 'sudoers', 'ansible.builtin.copy': { dest: '/etc/sudoers.d/vprotect', content: '{{ sudoers_content }}', mode: '0440', owner: 'root', group: 'root', validate: 'visudo -cf %s' }, when: 'sudoers_content is defined' },
            { name: 'persisted table', 'ansible.builtin.copy': { dest: '/etc/vprov/vprov.nft', content: '{{ nft_content }}', mode: '0644' } },
            { name: 'live table', 'ansible.builtin.command': 'nft -j list table inet vprov', changed_when: false, check_mode: false },
            { name: 'selinux config', 'ansible.builtin.lineinfile': { path: '/etc/selinux/config', regexp: '^SELINUX=', line: 'SELINUX=permissive' }, when: 'sudoers_content is defined' },
          ],
        },
      ]),
      );
      return path;
    };
    const base = { ...process.env, ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_FORKS: '25', ANSIBLE_NOCOLOR: '1' };
    // Ansible as installed (facts gathered, no pipelining; ControlPersist is its default),
    // and Ansible tuned as far as it goes (no facts, pipelining).
    const variants = [
      { label: 'ansible --check (defaults)', env: { ...base, ANSIBLE_PIPELINING: 'False' }, play: playbookFor(true) },
      { label: 'ansible --check (tuned)', env: { ...base, ANSIBLE_PIPELINING: 'True' }, play: playbookFor(false) },
    ];
    const time = (cmd, args, env = process.env) => {
      const t = performance.now();
      const r = spawnSync(cmd, args, { encoding: 'utf8', env });
      return { ms: performance.now() - t, status: r.status, out: r.stdout };
    };
    const v = [];
    const a = variants.map(() => []);
    for (let i = 0; i < rounds; i++) {
      // Interleaved, so every tool sees the same machine load.
      v.push(time(process.execPath, [cli, 'drift', '-i', inv]));
      variants.forEach((x, j) => a[j].push(time('ansible-playbook', ['-i', ansibleInv, x.play, '--check'], x.env)));
    }
    const median = (xs) => xs.map((x) => x.ms).sort((p, q) => p - q)[Math.floor(xs.length / 2)];
    const runs = (xs) => `[${xs.map((x) => x.ms.toFixed(0)).join(', ')}]`;
    const vm = median(v);
    console.log(`hosts=${n} rounds=${rounds}`);
    console.log(`${'vprov drift (no-op)'.padEnd(28)} median_ms=${vm.toFixed(0)} runs=${runs(v)} exit=${v[v.length - 1].status}`);
    variants.forEach((x, j) => {
      const changed = [...a[j][a[j].length - 1].out.matchAll(/changed=(\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
      const am = median(a[j]);
      console.log(`${x.label.padEnd(28)} median_ms=${am.toFixed(0)} runs=${runs(a[j])} exit=${a[j][a[j].length - 1].status} changed=${changed} ratio=${(am / vm).toFixed(1)}x`);
    });
  } finally {
    await lab.stop();
  }
}
