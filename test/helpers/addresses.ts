/** Test helper: compare set contents as addresses, since nft and firewalld store adjacent addresses as one prefix. */

/** The IPv4 addresses of an nft set element: an address, or a prefix such as 172.17.0.8/31. */
export function expandIPv4(element: string): string[] {
  const [address, len] = element.split('/');
  const base = address!.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  if (len !== undefined && Number(len) < 16) return [element]; // a network, not a few merged hosts
  const count = len === undefined ? 1 : 2 ** (32 - Number(len));
  return Array.from({ length: count }, (_, i) => {
    const v = base + i;
    return [Math.floor(v / 2 ** 24), (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
  });
}

/** Every IPv4 address listed in an nft or firewalld text (addresses and prefixes). */
export function listedIPv4(text: string): string[] {
  return (text.match(/\b\d+\.\d+\.\d+\.\d+(?:\/\d+)?\b/g) ?? []).flatMap(expandIPv4);
}
