#!/usr/bin/env node
// The main job on the built-in lab: start lab hosts, then plan → apply → apply again (0 changed)
// → drift (in sync) → a change by hand → drift (found) → apply → drift (in sync), with the real
// CLI, then stop the hosts.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startLab } from '../test/lab/hosts.js';

const cli = fileURLToPath(new URL('../bin/vprov.js', import.meta.url));
const step = (title, args) => {
  console.log(`\n### ${title}\n$ vprov ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
  console.log(`(exit ${r.status})`);
  return r.status;
};

console.log('starting 4 lab hosts (node1, hv1, hv2, hv3)…');
const lab = await startLab([{ name: 'node1' }, { name: 'hv1' }, { name: 'hv2' }, { name: 'hv3' }]);
let failed = false;
try {
  const inv = lab.writeInventory('demo.yaml', {
    roles: { node1: ['node'], hv1: ['hypervisor'], hv2: ['hypervisor'], hv3: ['hypervisor'] },
    platforms: [{ platform: 'openstack', method: 'SSH transfer', options: { netcat: true } }],
  });
  console.log(`inventory: ${inv}`);
  const codes = [
    [step('plan: what would change (exit 2 = changes pending)', ['plan', '-i', inv]), 2],
    [step('apply', ['apply', '-i', inv]), 0],
    [step('apply again: nothing to change', ['apply', '-i', inv]), 0],
    [step('drift: in sync (exit 0)', ['drift', '-i', inv]), 0],
  ];
  console.log('\n### someone removes vprotect from group disk on node1 (docker exec gpasswd -d vprotect disk)');
  await lab.exec('node1', 'gpasswd -d vprotect disk');
  codes.push(
    [step('drift: found (exit 2)', ['drift', '-i', inv, '--limit', 'node1']), 2],
    [step('apply: repaired', ['apply', '-i', inv, '--limit', 'node1']), 0],
    [step('drift: in sync again', ['drift', '-i', inv]), 0],
  );
  failed = codes.some(([got, want]) => got !== want);
  console.log('\nfrom outside (docker exec on hv1): nft list table inet vprov');
  console.log((await lab.exec('hv1', 'nft list table inet vprov')).stdout);
  console.log('node1: id vprotect →', (await lab.exec('node1', 'id vprotect')).stdout.trim());
} finally {
  await lab.stop();
}
console.log(failed ? '\ndemo: an exit code was not what it should be' : '\ndemo: ok');
process.exitCode = failed ? 1 : 0;
