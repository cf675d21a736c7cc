/** SELinux planning on parsed facts (the lab kernel has no SELinux; runtime steps are proven here). */
import { describe, expect, it } from 'vitest';
import { selinuxResource, withConfigMode } from '../../src/resources/selinux.js';
import type { HostDesired } from '../../src/core/types.js';
import { planRaw } from '../helpers/facts.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const config = (mode: string) => `# comment\nSELINUX=${mode}\nSELINUXTYPE=targeted\n`;
const host = { controllerAddress: null, sshPort: 22, systemd: false };
const desired = (mode: HostDesired['selinux']['mode']) => ({ selinux: { mode } }) as HostDesired;
const facts = (cfg: string | null, kernel: boolean, runtime?: string) =>
  [`config=${cfg === null ? 'absent' : b64(cfg)}`, `kernel=${kernel ? 'yes' : 'no'}`, runtime ? `runtime=${runtime}` : ''].join('\n');

describe('selinux plan', () => {
  it('no /etc/selinux/config: not applicable, nothing to do', () => {
    const p = planRaw(selinuxResource, facts(null, false), desired('permissive'), host);
    expect(p.status).toBe('not-applicable');
    expect(p.script).toBe('');
  });

  it('config present, kernel without SELinux: config managed, runtime not applicable, no reboot', () => {
    const p = planRaw(selinuxResource, facts(config('enforcing'), false), desired('permissive'), host);
    expect(p.status).toBe('pending');
    expect(p.changes).toEqual(['~ /etc/selinux/config: SELINUX=enforcing → permissive']);
    expect(p.rebootRequired).toBe(false);
    expect(p.notes.join()).toMatch(/runtime: not applicable/);
  });

  it('already right: ok', () => {
    const p = planRaw(selinuxResource, facts(config('permissive'), true, 'Permissive'), desired('permissive'), host);
    expect(p.status).toBe('ok');
    expect(p.changes).toEqual([]);
  });

  it('enforcing → permissive at runtime uses setenforce 0', () => {
    const p = planRaw(selinuxResource, facts(config('permissive'), true, 'Enforcing'), desired('permissive'), host);
    expect(p.script).toBe('setenforce 0');
    expect(p.rebootRequired).toBe(false);
  });

  it('runtime disabled while permissive is wanted: reboot required, never forced', () => {
    const p = planRaw(selinuxResource, facts(config('disabled'), true, 'Disabled'), desired('permissive'), host);
    expect(p.rebootRequired).toBe(true);
    expect(p.script).not.toMatch(/setenforce|reboot/);
    expect(p.changes[0]).toMatch(/SELINUX=disabled → permissive/);
  });

  it('keep touches nothing', () => {
    expect(planRaw(selinuxResource, '', desired('keep'), host).status).toBe('ok');
  });

  it('rewrites only the SELINUX= line', () => {
    expect(withConfigMode(config('enforcing'), 'permissive')).toBe(config('permissive'));
    expect(withConfigMode('# empty\n', 'permissive')).toBe('# empty\nSELINUX=permissive\n');
  });
});
