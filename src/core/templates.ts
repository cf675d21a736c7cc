/** Handlebars templates from templates/, compiled once, in strict mode (a missing field is an error). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

const TEMPLATE_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));
const cache = new Map<string, HandlebarsTemplateDelegate>();

const hb = Handlebars.create();
hb.registerHelper('join', (list: unknown[], sep: unknown) => list.join(typeof sep === 'string' ? sep : ', '));

/** Config files are rendered verbatim; HTML (`*.html.hbs`) is escaped. */
export function render(name: string, context: object): string {
  let tpl = cache.get(name);
  if (!tpl) {
    tpl = hb.compile(readFileSync(`${TEMPLATE_DIR}${name}`, 'utf8'), { strict: true, noEscape: !name.endsWith('.html.hbs') });
    cache.set(name, tpl);
  }
  return tpl(context);
}
