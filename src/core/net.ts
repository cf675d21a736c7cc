/** Pure address helpers: validation and canonical forms that match what nft prints. */
import { isIP, isIPv4 } from 'node:net';
import type { Family } from './types.js';

const hostnameRe = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/;

export function isHostname(s: string): boolean {
  return isIP(s) === 0 && hostnameRe.test(s) && !/^[\d.]+$/.test(s);
}

export function familyOf(addr: string): Family | null {
  const ip = addr.split('/')[0]!;
  const v = isIP(ip);
  return v === 4 ? 'ipv4' : v === 6 ? 'ipv6' : null;
}

/** Validates "addr" or "addr/len"; returns the reason when invalid. */
export function cidrProblem(s: string): string | null {
  const [ip, len, extra] = s.split('/');
  if (extra !== undefined) return `"${s}" is not an address or CIDR`;
  // fe80::1%eth0 names a link on one machine; a firewall rule cannot match it.
  if (ip?.includes('%')) return `"${s}": a zone id (%…) cannot be used in a firewall rule; give the address without it`;
  const v = isIP(ip ?? '');
  if (v === 0) return `"${s}" is not an IPv4/IPv6 address or CIDR`;
  if (len === undefined) return null;
  if (!/^\d+$/.test(len)) return `"${s}": prefix length must be a number`;
  const max = v === 4 ? 32 : 128;
  if (Number(len) > max) return `"${s}": prefix length over ${max}`;
  return null;
}

/**
 * A CIDR whose address has bits set beyond its prefix is a typo one way or the other
 * ("10.20.1.0/16" meant /24, or meant 10.20.0.0/16): never guess, since zeroing the host bits
 * would silently widen the source. Returns both readings, or null when the CIDR is exact.
 */
export function hostBitsProblem(s: string): string | null {
  const [ip, lenText, extra] = s.split('/');
  if (lenText === undefined || extra !== undefined || !/^\d+$/.test(lenText)) return null;
  const v = isIP(ip ?? '');
  if (v === 0) return null;
  const family: Family = v === 4 ? 'ipv4' : 'ipv6';
  const bits = BITS[family];
  const len = Number(lenText);
  if (len > bits) return null;
  const n = v === 4 ? parseV4(ip!) : parseV6(ip!);
  const hostMask = (1n << BigInt(bits - len)) - 1n;
  if ((n & hostMask) === 0n) return null;
  let zeros = 0;
  while (zeros < bits && ((n >> BigInt(zeros)) & 1n) === 0n) zeros++;
  const narrow = `${formatAddress(family, n)}/${bits - zeros}`;
  const wide = `${formatAddress(family, n & ~hostMask)}/${len}`;
  return `"${s}" has host bits set: did you mean ${narrow}, or ${wide}?`;
}

/** Canonical text of an address or CIDR, as nft lists it: IPv6 compressed and lower case,
 * host bits zeroed, "/08" read as /8, a full-length prefix written as the bare address,
 * and an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address it stands for —
 * such a packet reaches the host as IPv4, so that is where the rule must match. */
export function canonicalAddress(s: string): string {
  // A plain IPv4 address is its own canonical text (isIPv4 takes no leading zero, no prefix): most
  // hosts' addresses, checked once each when a 10,000-host inventory loads.
  if (isIPv4(s)) return s;
  const iv = addressInterval(s);
  const cidrs = intervalCidrs(iv);
  return cidrs.length === 1 ? cidrs[0]! : s;
}

/** A contiguous block of addresses of one family, bounds included. */
export interface AddressInterval {
  family: Family;
  lo: bigint;
  hi: bigint;
}

const BITS: Record<Family, number> = { ipv4: 32, ipv6: 128 };
const MAPPED = 0xffffn << 32n;

/** "a", "a/len" or "a-b" → the interval it covers (IPv4-mapped IPv6 becomes IPv4). */
export function addressInterval(s: string): AddressInterval {
  const dash = s.indexOf('-');
  if (dash > 0) {
    const a = addressInterval(s.slice(0, dash));
    const b = addressInterval(s.slice(dash + 1));
    if (a.family !== b.family) throw new Error(`"${s}": range mixes IPv4 and IPv6`);
    return { family: a.family, lo: a.lo, hi: b.hi };
  }
  const [ip, lenText] = s.split('/') as [string, string | undefined];
  const v = isIP(ip);
  if (v === 0) throw new Error(`"${s}" is not an IPv4/IPv6 address`);
  let family: Family = v === 4 ? 'ipv4' : 'ipv6';
  let n = v === 4 ? parseV4(ip) : parseV6(ip);
  let len = lenText === undefined ? BITS[family] : Number(lenText);
  if (family === 'ipv6' && n >> 32n === 0xffffn && len >= 96) {
    family = 'ipv4';
    n -= MAPPED;
    len -= 96;
  }
  const host = (1n << BigInt(BITS[family] - len)) - 1n;
  return { family, lo: n & ~host, hi: (n & ~host) | host };
}

/** Sorted, with overlapping and adjacent intervals merged — how nft stores an interval set. */
export function mergeIntervals(list: readonly AddressInterval[]): AddressInterval[] {
  const sorted = [...list].sort((a, b) => (a.family === b.family ? (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0) : a.family < b.family ? -1 : 1));
  const out: AddressInterval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last && last.family === iv.family && iv.lo <= last.hi + 1n) {
      if (iv.hi > last.hi) last.hi = iv.hi;
    } else out.push({ ...iv });
  }
  return out;
}

/** The fewest CIDRs that cover exactly this interval (firewalld's hash:net takes CIDRs only). */
export function intervalCidrs(iv: AddressInterval): string[] {
  const bits = BITS[iv.family];
  const out: string[] = [];
  let lo = iv.lo;
  while (lo <= iv.hi) {
    let size = 0;
    while (size < bits && (lo & ((1n << BigInt(size + 1)) - 1n)) === 0n && lo + (1n << BigInt(size + 1)) - 1n <= iv.hi) size++;
    const text = formatAddress(iv.family, lo);
    out.push(size === 0 ? text : `${text}/${bits - size}`);
    lo += 1n << BigInt(size);
  }
  return out;
}

/** Source elements as nft will store them: merged, then written as CIDRs. */
export function normalizeSources(elements: readonly string[]): string[] {
  return mergeIntervals(elements.map(addressInterval)).flatMap(intervalCidrs);
}

/**
 * Set texts by content: every host of a role wants the same sets, and a converged fleet lists
 * them back alike, so a 1,000-host run computes each distinct big set once instead of twice per
 * host (it was the largest controller CPU cost per host). Bounded.
 */
const setTexts = new Map<string, string>();
const CACHED_FROM = 32;
const CACHE_SIZE = 64;

/** One order- and form-free text for a list of addresses, CIDRs or ranges: equal text = same addresses. */
export function intervalSetText(elements: readonly string[]): string {
  if (elements.length < CACHED_FROM) return setTextOf(elements);
  const key = JSON.stringify(elements);
  let text = setTexts.get(key);
  if (text === undefined) {
    text = setTextOf(elements); // throws on a bad element: nothing is cached then
    if (setTexts.size >= CACHE_SIZE) setTexts.clear();
    setTexts.set(key, text);
  }
  return text;
}

function setTextOf(elements: readonly string[]): string {
  return mergeIntervals(elements.map(addressInterval))
    .map((iv) => {
      const cidrs = intervalCidrs(iv);
      return cidrs.length === 1 ? cidrs[0]! : `${formatAddress(iv.family, iv.lo)}-${formatAddress(iv.family, iv.hi)}`;
    })
    .join(',');
}

// IPv4 in plain numbers (exact below 2^53), one BigInt at the end: BigInt steps per octet cost
// more than the rest of the set arithmetic.
function parseV4(ip: string): bigint {
  let n = 0;
  for (const o of ip.split('.')) n = n * 256 + Number(o);
  return BigInt(n);
}

function parseV6(ip: string): bigint {
  let text = ip.toLowerCase();
  let tail = 0n;
  let tailGroups = 0;
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    tail = parseV4(dotted[1]!);
    tailGroups = 2;
    text = `${text.slice(0, -dotted[1]!.length)}0:0`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const groups = rest === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const n = groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  return tailGroups ? n | tail : n;
}

/** inet_ntop's text: RFC 5952 compression, and ::ffff:a.b.c.d for IPv4-mapped addresses. */
export function formatAddress(family: Family, n: bigint): string {
  if (family === 'ipv4') {
    const x = Number(n);
    return `${Math.floor(x / 2 ** 24)}.${Math.floor(x / 2 ** 16) % 256}.${Math.floor(x / 256) % 256}.${x % 256}`;
  }
  if (n >> 32n === 0xffffn) return `::ffff:${formatAddress('ipv4', n & 0xffffffffn)}`;
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** Does `outer` (address or CIDR) cover all of `inner` (address or CIDR)? Families never mix. */
export function cidrContains(outer: string, inner: string): boolean {
  try {
    const a = addressInterval(outer);
    const b = addressInterval(inner);
    return a.family === b.family && a.lo <= b.lo && b.hi <= a.hi;
  } catch {
    return false;
  }
}
