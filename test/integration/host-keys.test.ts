/** Host keys over real SSH: @revoked is refused under every policy; notices land inside the JSON report. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';
import { reportSchema } from '../../src/report/schema.js';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab([{ name: 'hk' }]);
});
afterAll(async () => {
  await lab?.stop();
});

const inventory = (file: string, ssh: Record<string, unknown>) =>
  lab.writeInventory(file, { roles: { hk: ['hypervisor'] }, networks: { node: ['192.0.2.0/24'] }, defaults: { ssh } });

describe('host keys over SSH', () => {
  it('records a new key inside the JSON report (stdout is the document alone), then refuses the key once @revoked, whatever the policy', async () => {
    const h = lab.host('hk');
    const known = `${lab.dir}/hk_known_hosts`;
    const tofu = await vprov('plan', '-i', inventory('tofu.yaml', { hostKeys: 'accept-new', knownHostsFile: known }), '--format', 'json');
    expect(tofu.code, tofu.stderr).toBe(2);
    const doc = reportSchema.parse(JSON.parse(tofu.stdout)); // the whole of stdout is one valid report
    const recorded = doc.warnings.filter((w) => w.code === 'host-key-recorded');
    expect(recorded).toEqual([
      {
        code: 'host-key-recorded',
        host: 'hk',
        message: expect.stringMatching(/^hk: recorded new host key \[[^\]]+\]:\d+ ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}$/),
      },
    ]);
    // The key the host really presents, as recorded; its fingerprint is what the refusal must name.
    const [name, type, key] = readFileSync(known, 'utf8').trim().split(/\s+/);
    expect(name).toBe(`[${h.sshHost}]:${h.sshPort}`);
    const fp = `SHA256:${createHash('sha256').update(Buffer.from(key!, 'base64')).digest('base64').replace(/=+$/, '')}`;
    expect(recorded[0]!.message).toContain(fp);

    const revokedFile = `${lab.dir}/hk_revoked`;
    const revokedText = `# key leaked\n@revoked ${name} ${type} ${key}\n`;
    writeFileSync(revokedFile, revokedText);
    for (const policy of ['strict', 'accept-new', 'off']) {
      const r = await vprov('plan', '-i', inventory(`revoked-${policy}.yaml`, { hostKeys: policy, knownHostsFile: revokedFile }), '--format', 'json');
      expect(r.code, `${policy}: ${r.stderr}`).toBe(4);
      const host = reportSchema.parse(JSON.parse(r.stdout)).hosts.find((x) => x.host === 'hk');
      expect(host?.status).toBe('unreachable');
      expect(host?.error).toContain(`REVOKED (${type} ${fp}`);
      expect(readFileSync(revokedFile, 'utf8')).toBe(revokedText); // never recorded
    }
  });

  it('"host key checking is off" is a warning inside the JSON report', async () => {
    const r = await vprov('plan', '-i', inventory('off.yaml', { hostKeys: 'off', knownHostsFile: `${lab.dir}/off_known_hosts` }), '--format', 'json');
    expect(r.code, r.stderr).toBe(2);
    const doc = reportSchema.parse(JSON.parse(r.stdout));
    expect(doc.warnings).toContainEqual({ code: 'host-keys-off', host: 'hk', message: 'hk: host key checking is off (lab use only)' });
    expect(r.stderr).not.toMatch(/host key checking is off/); // json: the document carries it, nothing else prints it
  });
});
