/** compile() with every resource module of the registry, as the commands call it. */
import { compile as compileWith, type CompileOptions, type CompileResult } from '../../src/compile/compile.js';
import type { Inventory } from '../../src/inventory/load.js';
import { RESOURCES } from '../../src/resources/registry.js';

export function compile(inv: Inventory, opts: Omit<CompileOptions, 'modules'> = {}): CompileResult {
  return compileWith(inv, { ...opts, modules: RESOURCES });
}
