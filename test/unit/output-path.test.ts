/**
 * Where a command writes its file (plan --out, drift --output, inventory schema --output) is
 * checked before any host is contacted: a path that is a directory is bad input naming the option,
 * never a run whose report is then lost to a failed rename (with its temp file left behind).
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vprov } from '../helpers/cli.js';

function site(): { dir: string; inv: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vprov-output-path-'));
  const inv = join(dir, 'site.yaml');
  // 192.0.2.0/24 (TEST-NET-1) answers nothing: a contacted host would be "unreachable", exit 4.
  writeFileSync(
    inv,
    'site: lab\nproduct: storware\nplatforms: [{ platform: openstack, method: SSH transfer }]\ndefaults: { ssh: { user: ops, connectTimeout: 1 } }\nhosts:\n  node1: { address: 192.0.2.5, roles: [node] }\n',
  );
  return { dir, inv };
}

describe('an output path that is a directory', () => {
  it.each([
    ['plan --out', (inv: string, out: string) => ['plan', '-i', inv, '--out', out], '--out'],
    ['drift --output', (inv: string, out: string) => ['drift', '-i', inv, '--output', out], '--output'],
    ['inventory schema --output', (_inv: string, out: string) => ['inventory', 'schema', '--output', out], '--output'],
  ])(
    '%s DIR is exit 1 naming the option, before any host, and leaves nothing behind',
    async (_name, args, option) => {
      const { dir, inv } = site();
      const out = join(dir, 'reports');
      mkdirSync(out);
      const r = await vprov(...args(inv, out));
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`${option} ${out}: a directory: name a file`);
      expect(r.stdout).not.toContain('unreachable');
      expect(readdirSync(dir).sort()).toEqual(['reports', 'site.yaml']);
    },
    30_000,
  );
});
