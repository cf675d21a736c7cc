/**
 * Every resource module, pyinfra style: fixture tables of raw facts in → plan (or the parse
 * error) out, as data in test/fixtures/resources/KIND/*.json (format: that folder's README.md).
 * The host's desired slice is compiled from the fixture's inventory with the shipped catalog, so a
 * row also pins the module's desired(). Each module's table covers the same cases: absent,
 * in sync, drifted, unreadable facts (the error names why), and, for a module planned on every
 * host (everyHost), not applicable and removal of what vprov wrote where no role needs it.
 *
 * VPROV_UPDATE_TABLES=1 writes each row's actual plan into its fixture (review the diff).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RESOURCES, moduleOf } from '../../src/resources/registry.js';
import type { HostDesired, ResourceKind } from '../../src/core/types.js';
import type { ResourcePlan } from '../../src/resources/types.js';
import { compile } from '../helpers/compile.js';
import { inventoryOf } from '../helpers/catalog.js';
import { planRaw } from '../helpers/facts.js';
import { hostRecordSchema } from '../../src/resources/host-record.js';

const DIR = join(import.meta.dirname, '../fixtures/resources');
const UPDATE = process.env.VPROV_UPDATE_TABLES === '1';
const CASES = ['absent', 'in-sync', 'drifted', 'unreadable', 'not-applicable', 'removal'] as const;

/** A facts line: as the host prints it, or a file's text / a JSON document the runner base64-encodes (as the probe does). */
const FactLine = z.union([z.string(), z.object({ key: z.string(), text: z.string() }).strict(), z.object({ key: z.string(), json: z.unknown() }).strict()]);

const Expected = z
  .object({
    status: z.enum(['ok', 'pending', 'not-applicable', 'failed']),
    error: z.string().optional(),
    changes: z.array(z.string()),
    warnings: z.array(z.string()),
    notes: z.array(z.string()),
    rebootRequired: z.boolean(),
    /** the apply script, line by line (left out where a table's rows would only repeat the renderer's output) */
    script: z.array(z.string()).optional(),
  })
  .strict();

const Fixture = z
  .object({
    behaviour: z.string().min(10),
    case: z.enum(CASES),
    /** an inventory of inventories.json, by name, or one written out */
    inventory: z.union([z.string(), z.record(z.string(), z.unknown())]),
    host: z.string(),
    /** what apply's options add to the desired host (apply --remove-accounts: { "removeAccount": true }) */
    retired: z.object({ removeAccount: z.boolean().optional(), why: z.string().optional() }).strict().optional(),
    /** the facts every resource reads (host section, host record); defaults: no controller address, port 22, no systemd, no record */
    hostFacts: z
      .object({
        controllerAddress: z.string().nullable().optional(),
        sshPort: z.number().optional(),
        systemd: z.boolean().optional(),
        /** the host record's written list, checked by the record's own schema */
        written: hostRecordSchema.shape.written.unwrap().nullable().optional(),
      })
      .strict()
      .optional(),
    /** the module's facts section, line by line */
    facts: z.array(FactLine),
    plan: Expected,
  })
  .strict();
type Fixture = z.infer<typeof Fixture>;

const inventories = z.record(z.string(), z.record(z.string(), z.unknown())).parse(JSON.parse(readFileSync(join(DIR, 'inventories.json'), 'utf8')));
const compiled = new Map<string, HostDesired[]>();

function desiredOf(f: Fixture): HostDesired {
  const key = typeof f.inventory === 'string' ? f.inventory : JSON.stringify(f.inventory);
  let hosts = compiled.get(key);
  if (!hosts) {
    const doc = typeof f.inventory === 'string' ? inventories[f.inventory] : f.inventory;
    if (!doc) throw new Error(`no inventory "${f.inventory}" in inventories.json`);
    hosts = compile(inventoryOf(doc)).hosts;
    compiled.set(key, hosts);
  }
  const d = hosts.find((h) => h.name === f.host);
  if (!d) throw new Error(`no host ${f.host} in inventory ${typeof f.inventory === 'string' ? f.inventory : '(inline)'}`);
  return f.retired ? { ...d, retired: { ...d.retired, ...f.retired } } : d;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const rawOf = (facts: Fixture['facts']) =>
  facts.map((l) => (typeof l === 'string' ? l : 'text' in l ? `${l.key}=${b64(l.text)}` : `${l.key}=${b64(JSON.stringify(l.json))}`)).join('\n');

function actualOf(p: ResourcePlan, withScript: boolean): z.infer<typeof Expected> {
  return {
    status: p.status,
    ...(p.error !== undefined ? { error: p.error } : {}),
    changes: p.changes,
    warnings: p.warnings,
    notes: p.notes,
    rebootRequired: p.rebootRequired,
    ...(withScript ? { script: p.script === '' ? [] : p.script.split('\n') } : {}),
  };
}

function tableOf(kind: ResourceKind): { file: string; path: string; fixture: Fixture }[] {
  const dir = join(DIR, kind);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    names = [];
  }
  return names.sort().map((file) => {
    const path = join(dir, file);
    const parsed = Fixture.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) throw new Error(`${kind}/${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return { file, path, fixture: parsed.data };
  });
}

describe.each(RESOURCES.map((m) => m.kind))('%s: raw facts → plan', (kind) => {
  const table = tableOf(kind);

  // A module that is left out where its slice is null (not everyHost) has no not-applicable or removal row to plan.
  const required = moduleOf(kind).everyHost ? CASES : CASES.filter((c) => c !== 'not-applicable' && c !== 'removal');
  it(`has a table covering ${required.join(', ')}`, () => {
    expect(required.filter((c) => !table.some((t) => t.fixture.case === c))).toEqual([]);
  });

  it.each(table.map((t) => [`${t.file}: ${t.fixture.behaviour}`, t] as const))('%s', (_, { path, fixture }) => {
    const p = planRaw(moduleOf(kind), rawOf(fixture.facts), desiredOf(fixture), fixture.hostFacts ?? {});
    const actual = actualOf(p, fixture.plan.script !== undefined);
    if (UPDATE) {
      writeFileSync(path, `${JSON.stringify({ ...fixture, plan: actual }, null, 2)}\n`);
      return;
    }
    expect(actual).toEqual(fixture.plan);
    // a plan that changes something says so in its script; one that changes nothing has none
    expect(p.script === '').toBe(p.status !== 'pending');
  });
});
