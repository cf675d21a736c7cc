#!/usr/bin/env node
// Writes docs/report.schema.json from the zod schema the code uses (npm run build first).
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { reportSchema } from '../dist/report/schema.js';

writeFileSync(new URL('../docs/report.schema.json', import.meta.url), JSON.stringify(z.toJSONSchema(reportSchema), null, 2) + '\n');
