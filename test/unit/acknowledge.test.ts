/** `acknowledge: [FLOW-ID…]`: a warning the operator has read is not repeated, and is still counted. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseInventory } from '../../src/inventory/load.js';
import { compile } from '../helpers/compile.js';
import { prepareRun } from '../../src/app/converge-all.js';
import { renderText } from '../../src/report/text.js';
import type { RunReport } from '../../src/core/report.js';
import { catalog } from '../helpers/catalog.js';
import { vprov } from '../helpers/cli.js';

// netcat on, no hypervisor host: the hypervisor → node netcat flow has no source.
const base = `product: storware
platforms:
  - platform: openstack
    method: SSH transfer
    options: { netcat: true }
hosts:
  node1: { address: 192.0.2.5, roles: [node] }
`;
const unsourced = compile(parseInventory(base, 'a.yaml', catalog)).warnings.find((w) => w.code === 'no-source')!;

function write(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'vprov-ack-')), 'inv.yaml');
  writeFileSync(file, text);
  return file;
}

describe('acknowledge', () => {
  it('the inventory without it warns on every command', async () => {
    expect(unsourced.flow).toBe('storware/openstack/ssh-transfer/2');
    const r = await vprov('inventory', 'check', '-i', write(base));
    expect(r.stderr).toContain(`warning: flow ${unsourced.flow} `);
    expect(r.stdout).toMatch(/1 warnings\n$/);
  });

  it('acknowledged: not repeated by inventory check, plan or drift, still counted', async () => {
    const file = write(`${base}acknowledge: [${unsourced.flow}]\n`);
    const r = await vprov('inventory', 'check', '-i', file);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/1 warnings \(1 acknowledged\)\n$/);
    const shown: string[] = [];
    const { compiled } = await prepareRun({ inventory: file, onWarning: (m) => shown.push(m) });
    expect(shown).toEqual([]);
    expect(compiled.warnings).toEqual([{ ...unsourced, acknowledged: true }]);
  });

  it("plan's text report leaves it out and its recap counts it; JSON keeps it, marked", () => {
    const report: RunReport = {
      command: 'plan',
      site: 'inv',
      inventory: 'inv.yaml',
      startedAt: new Date(0).toISOString(),
      durationMs: 0,
      warnings: [
        { ...unsourced, acknowledged: true },
        { code: 'world-open', message: 'networks.x allows any source' },
      ],
      hosts: [],
    };
    const text = renderText(report);
    expect(text).not.toContain(unsourced.message);
    expect(text).toContain('warning: networks.x allows any source');
    expect(text).toMatch(/^warnings: 2 \(1 acknowledged in the inventory, not shown\)$/m);
    expect(renderText({ ...report, warnings: [report.warnings[1]!] })).not.toMatch(/^warnings:/m);
  });

  it('an id no flow has is an error with the closest id', () => {
    expect(() => parseInventory(`${base}acknowledge: [storware/openstack/ssh-transfer/9]\n`, 'a.yaml', catalog)).toThrow(
      /a\.yaml:8: acknowledge\[0\]: unknown flow "storware\/openstack\/ssh-transfer\/9" .*; did you mean "storware\/openstack\/ssh-transfer\/\d"/,
    );
  });
});
