/**
 * `verify --connectivity`: from each managed source host, TCP-connect to every destination
 * port its flows open (first and last port of a range), in one round trip per source host.
 * "refused" still means the firewall let the SYN through (nothing listens): reachable.
 * A refusal an ICMP error produced (a firewall's `reject`) is told apart from a TCP reset by
 * the socket's error queue (IP_RECVERR): it counts as filtered.
 */
import type { CompileResult } from '../compile/compile.js';
import type { HostDesired } from '../core/types.js';
import type { Probe, ProbeResult } from '../core/report.js';
import { describeError } from '../core/errors.js';
import type { Connection } from '../transport/types.js';
import { forEachBounded } from './runner.js';
import { q } from '../resources/shell.js';

export type { Probe, ProbeResult };

const PROBE_PY = `import socket, sys, errno
for line in sys.stdin.read().split():
    addr, port = line.rsplit(",", 1)
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, getattr(socket, "IPV6_RECVERR", 25), 1)
    else:
        s.setsockopt(socket.IPPROTO_IP, getattr(socket, "IP_RECVERR", 11), 1)
    s.settimeout(2)
    try:
        rc = s.connect_ex((addr, int(port)))
    except OSError as e:
        rc = e.errno or -1
    except socket.timeout:
        rc = errno.ETIMEDOUT
    icmp = False
    if rc == errno.ECONNREFUSED:
        s.setblocking(False)
        try:
            s.recvmsg(64, 512, socket.MSG_ERRQUEUE)
            icmp = True
        except OSError:
            pass
    s.close()
    print(addr, port, "open" if rc == 0 else "refused" if rc == errno.ECONNREFUSED and not icmp else "filtered")
`;

export function probesFor(compiled: CompileResult, managed: ReadonlySet<string>): Omit<Probe, 'result'>[] {
  const byName = new Map(compiled.hosts.map((h) => [h.name, h]));
  const out: Omit<Probe, 'result'>[] = [];
  for (const e of compiled.edges) {
    if (e.flow.protocol !== 'tcp') continue; // UDP and ICMP have no connect to prove them
    const dest = byName.get(e.dest)!;
    for (const src of e.sourceHosts.filter((s) => managed.has(s))) {
      for (const spec of e.flow.ports) {
        const [a, b] = spec.split('-').map(Number) as [number, number?];
        for (const port of b === undefined ? [a] : [a, b]) out.push({ from: src, to: e.dest, address: dest.address, port, flow: e.flow.id });
      }
    }
  }
  return out;
}

/**
 * sh: TCP-connect from this host to every probe's address and port; one output line each.
 * python3 -I: neither the working directory nor PYTHON* variables nor the user's site directory
 * can put a module of their own before the standard library's (it runs as root).
 */
export function probeScript(list: readonly Omit<Probe, 'result'>[]): string {
  const targets = [...new Set(list.map((p) => q(`${p.address},${p.port}`)))].join(' ');
  return `printf '%s\\n' ${targets} | python3 -I -c "$(printf '%s' '${Buffer.from(PROBE_PY).toString('base64')}' | base64 -d)"`;
}

/** The probes with their results read from `probeScript`'s output ("unknown" when a line is missing). */
export function probeResults(list: readonly Omit<Probe, 'result'>[], stdout: string, detail?: string): Probe[] {
  // Only lines of the probe's own form count: anything else the host printed is not a result.
  const seen = new Map<string, ProbeResult>();
  for (const l of stdout.split('\n')) {
    const m = /^(\S+) (\d{1,5}) (open|refused|filtered)$/.exec(l);
    if (m) seen.set(`${m[1]},${m[2]}`, m[3] as ProbeResult);
  }
  return list.map((p) => {
    const result = seen.get(`${p.address},${p.port}`) ?? 'unknown';
    return { ...p, result, ...(detail !== undefined ? { detail } : result === 'unknown' ? { detail: 'no result from the probe' } : {}) };
  });
}

export async function runProbes(
  probes: Omit<Probe, 'result'>[],
  hosts: readonly HostDesired[],
  connect: (h: HostDesired) => Promise<Connection>,
  forks: number,
): Promise<Probe[]> {
  const bySource = new Map<string, Omit<Probe, 'result'>[]>();
  for (const p of probes) {
    const list = bySource.get(p.from) ?? [];
    list.push(p);
    bySource.set(p.from, list);
  }
  const results = await forEachBounded([...bySource], forks, async ([source, list]): Promise<Probe[]> => {
    const host = hosts.find((h) => h.name === source)!;
    let conn: Connection | undefined;
    try {
      conn = await connect(host);
      const res = await conn.runScript(probeScript(list));
      return probeResults(list, res.stdout, res.code !== 0 ? res.stderr.trim().slice(0, 200) : undefined);
    } catch (err) {
      return list.map((p) => ({ ...p, result: 'unknown' as const, detail: describeError(err) }));
    } finally {
      conn?.close();
    }
  });
  return results.flat();
}
