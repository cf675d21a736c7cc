/** What a host prints for the facts script (src/resources/facts-integrity.ts), for fake connections. */
import { createHash } from 'node:crypto';

/**
 * `sections` (from `@@vprov:host@@` on, through the end marker) as the sealed facts script prints
 * them: without trailing newlines (sh's $(…)), then the checksum section. With `ssh` (what
 * SSH_CONNECTION holds), the prelude's section first.
 */
export function hostPrinted(sections: string, ssh?: string): string {
  const body = sections.replace(/\n+$/, '');
  const sum = createHash('sha256').update(body, 'utf8').digest('hex');
  const prelude = ssh === undefined ? '' : `@@vprov:ssh@@\nssh=${ssh}\nssh_again=${ssh}\n`;
  return `${prelude}${body}\n@@vprov:sum@@\n${sum}  -\n`;
}
