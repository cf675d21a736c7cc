/**
 * The inventory's JSON Schema, generated from the zod schema vprov validates with and kept in
 * docs/inventory.schema.json for editors (`# yaml-language-server: $schema=…`). It describes the
 * file as written (io: input): fields with defaults are optional. Checks zod makes in code
 * (address and CIDR syntax, cross-checks against the catalog) are not in it; `vprov inventory
 * check` makes them.
 */
import { z } from 'zod';
import { inventorySchema } from './schema.js';

/** zod names some checks with a `format` no validator knows (starts_with); their `pattern` carries the rule. */
const STANDARD_FORMATS = new Set(['date-time', 'date', 'time', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uri', 'uuid', 'regex']);

export function inventoryJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(inventorySchema, {
    io: 'input',
    override: ({ jsonSchema }) => {
      if (typeof jsonSchema.format === 'string' && !STANDARD_FORMATS.has(jsonSchema.format)) delete jsonSchema.format;
    },
  });
  return {
    ...generated,
    title: 'vprov inventory',
    description: 'Hosts mapped to the roles of one catalog product (docs/design.md §4). Validate fully with `vprov inventory check -i FILE`.',
  };
}
