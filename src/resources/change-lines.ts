/**
 * A host's change lines and diff, bounded. A set of source addresses grows with the fleet (a
 * hypervisor of a 10,000-host site lets in 2,500 backup nodes): written out whole, each host's
 * report would grow with the fleet and the whole report with its square (≈700 MB for a first
 * apply of 10,000 hosts). So a long set's change names the elements that come and go, a few of
 * them and a count of the rest, and a diff's long lines are cut with the length they had.
 */

/** Elements named per side of a set's change; the rest are counted. */
export const SET_ELEMENTS_SHOWN = 20;
/** A diff line longer than this is cut (the file itself is written whole). */
export const DIFF_LINE_CHARS = 1000;

interface SetLine {
  sign: '+' | '-';
  /** everything before " { ", e.g. "set src_ssh4 ipv4_addr flags interval" */
  head: string;
  elements: string[];
}

// "+ set NAME TYPE … { a, b }" (nft) or "- ipset NAME TYPE FAMILY { a, b }" (firewalld).
const SET_LINE = /^([+-]) ((?:set|ipset) [^{}]*?) \{ (.*) \}$/;

function parseSetLine(line: string): SetLine | null {
  const m = SET_LINE.exec(line);
  if (!m) return null;
  // nft's interval text joins with ",", firewalld's entries with ", "
  return { sign: m[1] as '+' | '-', head: m[2]!, elements: m[3]!.trim() === '' ? [] : m[3]!.split(/, ?/) };
}

function named(elements: readonly string[]): string {
  const shown = elements.slice(0, SET_ELEMENTS_SHOWN).join(', ');
  const rest = elements.length - SET_ELEMENTS_SHOWN;
  return rest > 0 ? `${shown}, … and ${rest.toLocaleString('en-US')} more` : shown;
}

/**
 * lineChanges' output with every long set change summarised: a set both removed and added
 * (its elements changed) becomes one "~" line with the elements added and removed; a set only
 * added or removed names its first elements and counts the rest. Sets of at most
 * SET_ELEMENTS_SHOWN elements, and every other line, are left exactly as they were.
 */
export function boundedChanges(changes: readonly string[]): string[] {
  const sets = new Map<string, { add?: SetLine; remove?: SetLine }>();
  for (const line of changes) {
    const s = parseSetLine(line);
    if (!s) continue;
    const entry = sets.get(s.head) ?? {};
    entry[s.sign === '+' ? 'add' : 'remove'] = s;
    sets.set(s.head, entry);
  }
  const long = (s?: SetLine) => (s?.elements.length ?? 0) > SET_ELEMENTS_SHOWN;
  const out: string[] = [];
  const done = new Set<string>();
  for (const line of changes) {
    const s = parseSetLine(line);
    const entry = s && sets.get(s.head);
    if (!s || !entry || !(long(entry.add) || long(entry.remove))) {
      out.push(line);
      continue;
    }
    if (done.has(s.head)) continue;
    done.add(s.head);
    if (entry.add && entry.remove) {
      const before = new Set(entry.remove.elements);
      const after = new Set(entry.add.elements);
      const added = entry.add.elements.filter((e) => !before.has(e));
      const removed = entry.remove.elements.filter((e) => !after.has(e));
      const kept = entry.add.elements.length - added.length;
      const parts = [
        added.length ? `+${added.length.toLocaleString('en-US')}: ${named(added)}` : '',
        removed.length ? `-${removed.length.toLocaleString('en-US')}: ${named(removed)}` : '',
      ];
      out.push(`~ ${s.head} { ${parts.filter(Boolean).join('; ')} } (${kept.toLocaleString('en-US')} unchanged)`);
    } else {
      const only = (entry.add ?? entry.remove)!;
      out.push(`${only.sign} ${only.head} { ${named(only.elements)} } (${only.elements.length.toLocaleString('en-US')} elements)`);
    }
  }
  return out;
}

/** A unified diff with every line longer than DIFF_LINE_CHARS cut, saying how long it was. */
export function boundedDiff(patch: string): string {
  if (patch.length <= DIFF_LINE_CHARS) return patch;
  return patch
    .split('\n')
    .map((l) => (l.length > DIFF_LINE_CHARS ? `${l.slice(0, DIFF_LINE_CHARS)} … (line cut: ${l.length.toLocaleString('en-US')} characters)` : l))
    .join('\n');
}
