// The lab fleet for the benchmark: N real lab hosts, put back to their fresh state between
// first-apply rounds, and their end state read from outside (docker exec), never from a tool.
import { startLab } from '../../lab/hosts.js';

/** Directories a provisioning run may change on a lab host (users, homes, sudoers, nft file). */
const TRACKED = 'etc home var/spool/mail';
/** Bind-mounted by docker: neither replaceable nor ours. */
const MOUNTED = '--exclude=etc/hosts --exclude=etc/resolv.conf --exclude=etc/hostname';

const SNAPSHOT = `set -e
cd /
find ${TRACKED} | sort > /root/.bench-fresh.list
tar ${MOUNTED} -cpf /root/.bench-fresh.tar ${TRACKED}
nft list ruleset > /root/.bench-fresh.nft`;

// Back to the snapshot: what was added is removed, what was changed is restored, the ruleset reloaded.
const RESET = `set -e
cd /
find ${TRACKED} | sort > /root/.bench-now.list
comm -13 /root/.bench-fresh.list /root/.bench-now.list | sort -r | while IFS= read -r f; do rm -rf -- "$f"; done
tar ${MOUNTED} -xpf /root/.bench-fresh.tar
nft flush ruleset
nft -f /root/.bench-fresh.nft
echo reset-ok`;

/**
 * What every tool must leave behind, read from outside. One line per fact; a missing item reads
 * as "absent", so a fresh host and a converged one differ.
 */
const FINGERPRINT = `set +e
echo "account=$(getent passwd vprotect | cut -d: -f1,3,6,7) groups=$(id -nG vprotect 2>/dev/null)"
for f in /etc/sudoers.d/vprotect /etc/vprov/vprov.nft; do
  if [ -f "$f" ]; then echo "$f=$(stat -c '%a %U:%G' "$f") $(sha256sum < "$f" | cut -c1-16)"; else echo "$f=absent"; fi
done
echo "live=$(nft -s list table inet vprov 2>/dev/null | sha256sum | cut -c1-16)"
echo "selinux=$(grep '^SELINUX=' /etc/selinux/config 2>/dev/null)"`;

export async function startFleet(n, roleOf) {
  const names = Array.from({ length: n }, (_, i) => `h${i + 1}`);
  // Ten at a time: a 100-host fleet started at once misses its start-up timeout on two cores.
  const lab = await startLab(
    names.map((name) => ({ name })),
    { parallel: 10 },
  );
  const roles = Object.fromEntries(names.map((h, i) => [h, [roleOf(i)]]));
  const fleet = new Fleet(lab, roles);
  try {
    await fleet.each((h) => fleet.must(h, SNAPSHOT));
  } catch (err) {
    await lab.stop();
    throw err;
  }
  return fleet;
}

class Fleet {
  constructor(lab, roles) {
    this.lab = lab;
    this.roles = roles;
    this.names = lab.hosts.map((h) => h.name);
  }

  /** docker exec on every host, a few at a time (each exec is a process on this machine). */
  async each(fn, names = this.names, limit = 8) {
    const out = {};
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(limit, names.length) }, async () => {
        while (next < names.length) {
          const name = names[next++];
          out[name] = await fn(name);
        }
      }),
    );
    return out;
  }

  async must(name, script) {
    const r = await this.lab.exec(name, script);
    if (r.code !== 0) throw new Error(`${name}: lab command failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
    return r.stdout;
  }

  reset(names = this.names) {
    return this.each((h) => this.must(h, RESET), names);
  }

  fingerprint() {
    return this.each((h) => this.must(h, FINGERPRINT));
  }

  stop() {
    return this.lab.stop();
  }
}

/** Hosts whose end state differs from the reference, with the first differing line. */
export function compareStates(reference, actual) {
  const diffs = [];
  for (const [host, want] of Object.entries(reference)) {
    const got = actual[host] ?? '';
    if (got !== want) {
      const w = want.split('\n');
      const g = got.split('\n');
      const i = w.findIndex((line, k) => line !== g[k]);
      diffs.push(`${host}: expected "${w[i]}", found "${g[i] ?? ''}"`);
    }
  }
  return diffs;
}
