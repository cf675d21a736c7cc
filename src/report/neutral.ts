/**
 * Host-supplied text (errors, facts, rule listings) reaches terminals and Markdown renderers.
 * A managed host controls it, so it must not be able to move the cursor, hide text, reorder it
 * (bidi overrides) or inject markup that could pass for vprov's own output.
 */

// C0 except tab, DEL, C1, and the Unicode bidi embedding/override/isolate controls.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Every control character shown as a visible escape (`\x1b`, `\u202e`); a newline becomes `\n`. */
export function escapeControls(s: string): string {
  return s.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Lines for a terminal: a multi-line value is split, each continuation indented by `indent`
 * spaces (so it can never stand at column 0 where a host header or the recap stands), and every
 * line has its control characters escaped.
 */
export function terminalLines(line: string, indent: number): string[] {
  return line.split(/\r?\n/).map((part, i) => escapeControls(i === 0 ? part : `${' '.repeat(indent)}${part}`));
}

const MD_SPECIAL: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '|': '\\|', '`': '\\`', '[': '\\[', ']': '\\]' };

/** One Markdown table cell or list item of host or inventory text: no HTML, no link, no column break. */
export function markdownText(s: string): string {
  return escapeControls(s.replace(/\r?\n/g, ' ')).replace(/[&<>|`[\]]/g, (c) => MD_SPECIAL[c] ?? c);
}
