import { describe, expect, it } from 'vitest';
import { selectHosts } from '../../src/inventory/limit.js';

const data = {
  hosts: Object.fromEntries(['node1', 'node2', 'hv1', 'hv2', 'hv10'].map((h) => [h, {}])) as never,
  groups: { nodes: ['node1', 'node2'], hvs: ['hv1', 'hv2', 'hv10'], all_backup: ['nodes', 'hv1'] },
};

describe('--limit', () => {
  it.each([
    [undefined, ['hv1', 'hv10', 'hv2', 'node1', 'node2']],
    ['node1', ['node1']],
    ['nodes', ['node1', 'node2']],
    ['hv*', ['hv1', 'hv10', 'hv2']],
    // globs match group names too, as in Ansible: hv? matches group hvs
    ['hv?', ['hv1', 'hv10', 'hv2']],
    ['node?', ['node1', 'node2']],
    ['all,!hv10', ['hv1', 'hv2', 'node1', 'node2']],
    ['nodes,hv1', ['hv1', 'node1', 'node2']],
    ['all_backup:&nodes', ['node1', 'node2']],
    ['!nodes', ['hv1', 'hv10', 'hv2']],
  ])('%s', (pattern, hosts) => expect(selectHosts(data, pattern)).toEqual(hosts));

  it('a pattern that matches nothing is an input error', () => {
    expect(() => selectHosts(data, 'nope')).toThrow(/"nope" matches no host or group/);
  });
});
