/** Port lists as intervals. Pure. */

/**
 * Sorted, with overlapping and adjacent intervals merged: nft refuses overlapping intervals
 * in one set and merges adjacent ones in an anonymous set, so this is the form it stores.
 */
export function mergePorts(ports: readonly string[]): string[] {
  const intervals = ports
    .map((p) => p.split('-').map(Number) as [number, number?])
    .map(([a, b]) => [a, b ?? a] as [number, number])
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const merged: [number, number][] = [];
  for (const [a, b] of intervals) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`));
}

export function portsContain(ports: readonly string[], port: number): boolean {
  return ports.some((p) => {
    const [a, b] = p.split('-').map(Number) as [number, number?];
    return port >= a && port <= (b ?? a);
  });
}
