/** `drift --on-drift` against a real lab host: the hook runs, and the sudo password is not in its environment. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';
import { withEnv } from '../helpers/env.js';

const secret = 'Hook-env-secret-7321';
let lab: Lab;
beforeAll(async () => {
  lab = await startLab([{ name: 'dh' }]);
  // A password sudo really needs, so the run uses it (and a run that ignored it would fail).
  await lab.exec('dh', `echo 'ops:${secret}' | chpasswd && sed -i 's/^ops ALL=(ALL) NOPASSWD: ALL$/ops ALL=(ALL) ALL/' /etc/sudoers && visudo -c`);
});
afterAll(async () => {
  await lab?.stop();
});

describe('drift --on-drift', () => {
  it('runs the hook on drift with the report on stdin and without VPROV_BECOME_PASSWORD in its environment', async () => {
    const inv = lab.writeInventory('hook.yaml', { roles: { dh: ['hypervisor'] }, networks: { node: ['192.0.2.0/24'] } });
    const envFile = `${lab.dir}/hook.env`;
    const stdinFile = `${lab.dir}/hook.stdin`;
    const r = await withEnv('VPROV_BECOME_PASSWORD', secret, () =>
      vprov('drift', '-i', inv, '--format', 'json', '--on-drift', `env > '${envFile}'; cat > '${stdinFile}'`),
    );
    expect(r.code, r.stderr).toBe(2); // drift found: the host was read with the password, the hook ran
    expect(existsSync(envFile)).toBe(true);
    const env = readFileSync(envFile, 'utf8');
    expect(env).toMatch(/^PATH=/m); // the hook's real environment was captured
    expect(env).not.toMatch(/VPROV_BECOME_PASSWORD/);
    expect(env).not.toContain(secret);
    expect(JSON.parse(readFileSync(stdinFile, 'utf8')).hosts[0]).toMatchObject({ host: 'dh', status: 'pending' });
  });
});
