#!/usr/bin/env node
// Build step (after tsc): templates/*.hbs precompiled into dist/templates.compiled.cjs, so a
// run loads the small handlebars runtime instead of compiling templates (and the compiler).
import { writeFileSync, renameSync } from 'node:fs';
import { PRECOMPILED_TEMPLATES, precompileTemplates } from '../dist/core/templates.js';

writeFileSync(`${PRECOMPILED_TEMPLATES}.tmp`, precompileTemplates());
renameSync(`${PRECOMPILED_TEMPLATES}.tmp`, PRECOMPILED_TEMPLATES);
