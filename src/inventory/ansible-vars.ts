/**
 * group_vars/ and host_vars/ beside an Ansible inventory, found as Ansible's host_group_vars
 * plugin finds them: NAME, NAME.yml, NAME.yaml or NAME.json, or a directory NAME/ whose files
 * are read in name order (later ones win). A file that cannot be read or parsed is an error
 * naming it, never "no variables".
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYamlText } from 'yaml';
import { InputError } from '../core/errors.js';
import type { AnsibleInventory, Vars } from './ansible.js';

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

function kindOf(path: string): 'file' | 'dir' | null {
  try {
    const st = statSync(path);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new InputError(`${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, path);
  }
}

function readVarsFile(path: string): Vars {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, path);
  }
  let doc: unknown;
  try {
    // Ansible reads YAML 1.1 (PyYAML): yes/no/on/off are booleans.
    doc = parseYamlText(text, { version: '1.1' });
  } catch (err) {
    throw new InputError(`${path}: YAML syntax error: ${(err as Error).message.split('\n')[0]}`, path);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new InputError(`${path}: variables must be a mapping`, path);
  return doc as Vars;
}

function filesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => !n.startsWith('.'))
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      const k = kindOf(p);
      if (k === 'dir') return filesIn(p);
      return k === 'file' && EXTENSIONS.slice(1).some((e) => n.endsWith(e)) ? [p] : [];
    });
}

function varsOf(base: string, name: string): Vars | undefined {
  let found: Vars | undefined;
  for (const ext of EXTENSIONS) {
    const p = join(base, name + ext);
    const k = kindOf(p);
    if (k === 'file') found = { ...found, ...readVarsFile(p) };
    else if (k === 'dir' && ext === '') for (const f of filesIn(p)) found = { ...found, ...readVarsFile(f) };
  }
  return found;
}

/** Fills in the group_vars/ and host_vars/ that sit beside the inventory file. */
export function readVarsDirs(inv: AnsibleInventory): AnsibleInventory {
  const base = dirname(inv.file);
  const gdir = join(base, 'group_vars');
  const hdir = join(base, 'host_vars');
  if (kindOf(gdir) === 'dir') {
    for (const g of inv.children.keys()) {
      const v = varsOf(gdir, g);
      if (v) inv.groupVarsFiles.set(g, v);
    }
  }
  if (kindOf(hdir) === 'dir') {
    for (const h of inv.hosts.keys()) {
      const v = varsOf(hdir, h);
      if (v) inv.hostVarsFiles.set(h, v);
    }
  }
  return inv;
}
