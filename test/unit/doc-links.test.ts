/**
 * Every relative link in README.md and docs/*.md points at a file of this repository (and, with
 * a #fragment, at a heading of it): a clone with nothing beside it has no broken doc link.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function markdownFiles(): string[] {
  const docs = join(ROOT, 'docs');
  return [
    join(ROOT, 'README.md'),
    ...readdirSync(docs)
      .filter((f) => f.endsWith('.md'))
      .map((f) => join(docs, f)),
  ];
}

/** Links outside fenced code blocks and inline code: [text](target), ![alt](target), [ref]: target. */
export function linksOf(markdown: string): string[] {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
  const inline = [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const reference = [...prose.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]!);
  return [...inline, ...reference];
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
export function anchorsOf(markdown: string): Set<string> {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of prose.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Problems with the relative links of one file's text, as "file: target: reason". */
function brokenLinks(file: string, text = readFileSync(file, 'utf8')): string[] {
  const problems: string[] = [];
  for (const link of linksOf(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto: … are not ours to check here
    const [path, fragment] = link.split('#', 2) as [string, string | undefined];
    const target = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
    const where = `${relative(ROOT, file)}: ${link}`;
    if (!target.startsWith(ROOT)) problems.push(`${where}: points outside the repository`);
    else if (!existsSync(target)) problems.push(`${where}: no such file`);
    else if (fragment && target.endsWith('.md') && statSync(target).isFile() && !anchorsOf(readFileSync(target, 'utf8')).has(fragment)) {
      problems.push(`${where}: no heading #${fragment}`);
    }
  }
  return problems;
}

describe('documentation links', () => {
  it('finds links, code blocks excluded', () => {
    expect(linksOf('see [a](docs/a.md) and ![b](b.png "t")\n```\n[c](nope.md)\n```\n`[d](nope.md)`\n[e]: ../f.md\n')).toEqual([
      'docs/a.md',
      'b.png',
      '../f.md',
    ]);
    expect([...anchorsOf('# 8. Test lab\n## Source documents\n## Drift, reports & schedules\n## Source documents\n')]).toEqual([
      '8-test-lab',
      'source-documents',
      'drift-reports--schedules',
      'source-documents-1',
    ]);
  });

  it('README.md and docs/*.md link only to files and headings that exist in the repository', () => {
    const files = markdownFiles();
    expect(files.length).toBeGreaterThan(3);
    expect(files.flatMap((f) => brokenLinks(f))).toEqual([]);
  });

  it('fails on a link that leaves the repository or names a missing file or heading', () => {
    const probe = join(ROOT, 'docs', 'design.md');
    const text = '[a](../../shared/DESIGN.md) [b](missing.md) [c](design.md#no-such-heading) [d](#nor-here) [ok](resources.md) [ok](#2-architecture)\n';
    expect(brokenLinks(probe, text)).toEqual([
      'docs/design.md: ../../shared/DESIGN.md: points outside the repository',
      'docs/design.md: missing.md: no such file',
      'docs/design.md: design.md#no-such-heading: no heading #no-such-heading',
      'docs/design.md: #nor-here: no heading #nor-here',
    ]);
  });
});
