import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { vprov } from '../helpers/cli.js';

const inv = fileURLToPath(new URL('../../inventories/storware-proxmox-nfs.yaml', import.meta.url));

describe('inventory graph', () => {
  it('text: hosts and who reaches whom', async () => {
    const r = await vprov('inventory', 'graph', '-i', inv);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/server1\s+198\.51\.100\.4\s+node,server/);
    expect(r.stdout).toMatch(/pve1\s+← server1: tcp\/22 — SSH access/);
    expect(r.stdout).toMatch(/server1\s+← pve1, pve2: udp\/111,2049/);
  });

  it('json: hosts and edges', async () => {
    const doc = JSON.parse((await vprov('inventory', 'graph', '-i', inv, '--format', 'json')).stdout);
    expect(doc.hosts).toHaveLength(3);
    expect(doc.edges).toContainEqual(expect.objectContaining({ from: ['pve1', 'pve2'], to: 'server1', protocol: 'tcp', ports: ['111', '2049'] }));
  });

  it('dot: a digraph Graphviz reads', async () => {
    const r = await vprov('inventory', 'graph', '-i', inv, '--format', 'dot');
    expect(r.stdout).toMatch(/^digraph vprov \{/);
    expect(r.stdout).toContain('"server1" -> "pve1" [label="tcp/22"];');
    expect(r.stdout.trim().endsWith('}')).toBe(true);
  });
});
