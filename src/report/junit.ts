/** JUnit XML: one testcase per host × resource; drift is a failure carrying the diff. */
import type { RunReport } from '../core/report.js';
import { xmlEscape } from './xml.js';

const esc = xmlEscape;

export function renderJunit(report: RunReport): string {
  const cases: string[] = [];
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  for (const h of report.hosts) {
    if (h.status === 'unreachable' || (h.status === 'failed' && h.resources.length === 0)) {
      errors++;
      cases.push(
        `    <testcase classname="vprov.${esc(h.host)}" name="${esc(h.host)}: reachable"><error message="${esc(h.status)}">${esc(h.error ?? '')}</error></testcase>`,
      );
      continue;
    }
    if (h.status === 'skipped') {
      skipped++;
      cases.push(`    <testcase classname="vprov.${esc(h.host)}" name="${esc(h.host)}"><skipped message="managed: false"/></testcase>`);
      continue;
    }
    for (const r of h.resources) {
      const name = `${h.host}: ${r.resource}`;
      const time = (h.durationMs / 1000 / Math.max(1, h.resources.length)).toFixed(3);
      if (r.status === 'pending') {
        failures++;
        const body = [...r.changes, ...(r.diff ? ['', r.diff] : [])].join('\n');
        cases.push(
          `    <testcase classname="vprov.${esc(h.host)}" name="${esc(name)}" time="${time}"><failure message="drifted: ${r.changes.length} difference(s)">${esc(body)}</failure></testcase>`,
        );
      } else if (r.status === 'failed' || r.status === 'unknown') {
        errors++;
        cases.push(
          `    <testcase classname="vprov.${esc(h.host)}" name="${esc(name)}" time="${time}"><error message="${r.status}">${esc(r.error ?? h.error ?? '')}</error></testcase>`,
        );
      } else if (r.status === 'not-applicable') {
        skipped++;
        cases.push(
          `    <testcase classname="vprov.${esc(h.host)}" name="${esc(name)}" time="${time}"><skipped message="${esc(r.notes[0] ?? 'not applicable')}"/></testcase>`,
        );
      } else {
        cases.push(`    <testcase classname="vprov.${esc(h.host)}" name="${esc(name)}" time="${time}"/>`);
      }
    }
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="vprov ${esc(report.command)} site ${esc(report.site)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="${esc(report.inventory)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" timestamp="${esc(report.startedAt)}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    `    <properties><property name="site" value="${esc(report.site)}"/><property name="command" value="${esc(report.command)}"/></properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
