/** --shard i/n: a deterministic split of hosts that stays stable when hosts are added. Pure. */
import { InputError } from '../core/errors.js';

export interface Shard {
  index: number; // 1-based
  count: number;
}

export function parseShard(spec: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new InputError(`--shard: expected i/n with 1 ≤ i ≤ n, got "${spec}"`);
  return { index, count };
}

/** FNV-1a of the host name: a host stays in its shard whatever else the inventory holds. */
export function shardOf(host: string, count: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < host.length; i++) {
    h ^= host.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h % count) + 1;
}

export function inShard(host: string, shard: Shard | undefined): boolean {
  return !shard || shardOf(host, shard.count) === shard.index;
}
