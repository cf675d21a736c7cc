/** Pure address helpers: validation and canonical forms that match what nft prints. */
import { isIP } from 'node:net';
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
  const v = isIP(ip ?? '');
  if (v === 0) return `"${s}" is not an IPv4/IPv6 address or CIDR`;
  if (len === undefined) return null;
  if (!/^\d+$/.test(len)) return `"${s}": prefix length must be a number`;
  const max = v === 4 ? 32 : 128;
  if (Number(len) > max) return `"${s}": prefix length over ${max}`;
  return null;
}

/** Canonical text of an address or CIDR, as nft lists it (IPv6 compressed, lower case). */
export function canonicalAddress(s: string): string {
  const [ip, len] = s.split('/') as [string, string | undefined];
  let out = ip;
  if (isIP(ip) === 6) out = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  if (len === undefined) return out;
  const max = isIP(ip) === 6 ? 128 : 32;
  return Number(len) === max ? out : `${networkOf(out, Number(len))}/${len}`;
}

/** Zero the host bits, as the kernel does for set elements with a prefix. */
function networkOf(ip: string, len: number): string {
  if (isIP(ip) === 4) {
    const n = ip.split('.').reduce((acc, o) => (acc << 8n) | BigInt(o), 0n);
    const masked = len === 0 ? 0n : (n >> BigInt(32 - len)) << BigInt(32 - len);
    return [24n, 16n, 8n, 0n].map((s) => String((masked >> s) & 255n)).join('.');
  }
  const full = expandV6(ip);
  const n = BigInt('0x' + full.join(''));
  const masked = len === 0 ? 0n : (n >> BigInt(128 - len)) << BigInt(128 - len);
  const hex = masked.toString(16).padStart(32, '0');
  const groups = hex.match(/.{4}/g)!.join(':');
  return new URL(`http://[${groups}]/`).hostname.slice(1, -1);
}

function expandV6(ip: string): string[] {
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => g.padStart(4, '0'));
}

/** Does `outer` (address or CIDR) cover all of `inner` (address or CIDR)? Families never mix. */
export function cidrContains(outer: string, inner: string): boolean {
  const a = interval(outer);
  const b = interval(inner);
  return a !== null && b !== null && a.v === b.v && a.lo <= b.lo && b.hi <= a.hi;
}

function interval(s: string): { v: number; lo: bigint; hi: bigint } | null {
  const [ip, len] = s.split('/') as [string, string | undefined];
  const v = isIP(ip);
  if (v === 0) return null;
  const bits = v === 4 ? 32 : 128;
  const n = v === 4 ? ip.split('.').reduce((acc, o) => (acc << 8n) | BigInt(o), 0n) : BigInt('0x' + expandV6(ip).join(''));
  const host = BigInt(bits - (len === undefined ? bits : Number(len)));
  const lo = (n >> host) << host;
  return { v, lo, hi: lo + (1n << host) - 1n };
}
