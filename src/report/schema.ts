/**
 * The JSON report's schema (version 1), in zod: the same definition validates reports in
 * tests, reads them back for history and merge, and is exported as docs/report.schema.json.
 * Its parts are the run's own types (src/core/report.ts), over the registry's resource kinds.
 */
import type * as z from 'zod';
import { runSchemas } from '../core/report.js';
import { RESOURCE_KINDS } from '../resources/registry.js';

export const reportSchema = runSchemas(RESOURCE_KINDS).document;

export type ReportDocument = z.infer<typeof reportSchema>;
