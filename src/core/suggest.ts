/**
 * "Did you mean …": the valid names closest to an unknown one. One helper for every name a user
 * types (product, platform, method, option, role, port parameter, host or group). Pure.
 *
 * A name matches when it is the same ignoring case and punctuation ("ssh-transfer" = "SSH
 * transfer"), when it is one of the words of a candidate's title ("olvm" → ovirt, titled
 * "oVirt/RHV/OLVM"), or when it is a few edits away (Damerau-Levenshtein: "kvm-hots" → "kvm-host").
 */

export interface Candidate {
  /** what the user should write */
  name: string;
  /** the name as documents show it ("oVirt/RHV/OLVM"), searched word by word */
  title?: string;
}

/** Lower case, letters and digits only: "SSH Transfer" and "ssh-transfer" are the same name. */
export function normalName(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The words of a title and its parts between separators: "DPX vPlus" of "Storware Backup & Recovery / DPX vPlus". */
function words(title: string): string[] {
  const parts = [...title.split(/[\s/,()–—-]+/), ...title.split(/\s*[/,()–—]\s*/)];
  return [...new Set(parts.map(normalName).filter(Boolean))];
}

const asCandidate = (c: string | Candidate): Candidate => (typeof c === 'string' ? { name: c } : c);

/** The candidates closest to `input`, best first (empty when none is close). */
export function closest(input: string, candidates: Iterable<string | Candidate>): Candidate[] {
  const all = [...candidates].map(asCandidate);
  const want = normalName(input);
  if (!want) return [];
  const same = all.filter((c) => normalName(c.name) === want || (c.title !== undefined && normalName(c.title) === want));
  if (same.length) return same;
  const byWord = all.filter((c) => c.title !== undefined && words(c.title).includes(want));
  if (byWord.length) return byWord;
  // A few edits, scaled to the length: one for short names, up to a third of a longer one.
  const limit = Math.max(1, Math.floor(want.length / 3));
  let best = Infinity;
  let hits: Candidate[] = [];
  for (const c of all) {
    const forms = [c.name, ...(c.title ? [c.title, ...words(c.title)] : [])].map(normalName);
    const dist = Math.min(...forms.map((f) => editDistance(want, f)));
    if (dist > limit || dist > best) continue;
    if (dist < best) hits = [];
    best = dist;
    hits.push(c);
  }
  if (hits.length) return hits;
  // A prefix long enough to mean something ("openst" → openstack).
  return want.length >= 3 ? all.filter((c) => normalName(c.name).startsWith(want)) : [];
}

/** `; did you mean "ovirt" (oVirt/RHV/OLVM)?`, or '' when nothing is close. */
export function didYouMean(input: string, candidates: Iterable<string | Candidate>): string {
  const hits = closest(input, candidates).slice(0, 3);
  if (hits.length === 0) return '';
  const show = (c: Candidate) => `"${c.name}"${c.title && normalName(c.title) !== normalName(c.name) ? ` (${c.title})` : ''}`;
  return `; did you mean ${hits.map(show).join(' or ')}?`;
}
