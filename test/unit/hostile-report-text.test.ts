/**
 * Text a managed host controls (errors, notes, diffs, found values) rendered in every human format:
 * it can neither drive the terminal (escape sequences, bidi overrides), nor fake another host's
 * lines or the recap, nor inject HTML or links into Markdown. Generated cases with fast-check
 * (the seed is printed on failure); the fixed cases are the ones found by an attacker.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { ResourceReport, RunReport } from '../../src/core/report.js';
import { renderText } from '../../src/report/text.js';
import { renderEvidenceHtml, renderEvidenceMd } from '../../src/report/evidence.js';
import { type EvidenceReport, evidenceSchema } from '../../src/report/evidence-schema.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { renderJunit } from '../../src/report/junit.js';

const FAKE = '\n== kvm1: in sync\n   firewall  in sync\nRECAP\nkvm1 : ok=4 changed=0\n\u001b[8mhidden\u001b[0m\r\u202eevil';
const HTML = '<img src=x onerror=alert(1)> [click](javascript:alert(1)) `code` | col';
// Terminal controls that must never reach the output raw (tab and the line breaks vprov writes itself excepted).
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const res = (status: ResourceReport['status'], extra: Partial<ResourceReport> = {}): ResourceReport => ({
  resource: 'firewall',
  status,
  changes: [],
  warnings: [],
  notes: [],
  rebootRequired: false,
  ...extra,
});

function runReport(hostile: string): RunReport {
  return {
    command: 'drift',
    site: 'dc1',
    inventory: 'inv.yaml',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1000,
    warnings: [],
    hosts: [
      {
        host: 'hv1',
        status: 'failed',
        managed: true,
        error: hostile,
        resources: [res('failed', { error: hostile, notes: [hostile], diff: `--- a\n+++ b\n-${hostile}` })],
        rebootRequired: false,
        roundTrips: 1,
        durationMs: 10,
      },
      {
        host: 'kvm1',
        status: 'pending',
        managed: true,
        resources: [res('pending', { changes: ['+ x'] })],
        rebootRequired: false,
        roundTrips: 1,
        durationMs: 10,
      },
    ],
  };
}

function textInvariants(text: string): void {
  expect(text).not.toMatch(RAW_CONTROL);
  const lines = text.split('\n');
  // Column 0 holds only vprov's own lines: the header, the two host headers, the recap.
  const col0 = lines.filter((l) => l !== '' && !l.startsWith(' '));
  expect(col0[0]).toMatch(/^site dc1: /);
  expect(col0.filter((l) => l.startsWith('== '))).toEqual(['== hv1: failed', '== kvm1: drifted']);
  expect(col0.filter((l) => l === 'RECAP')).toHaveLength(1);
  const recap = lines.slice(lines.indexOf('RECAP') + 1).filter((l) => l !== '');
  expect(recap.map((l) => l.split(' ')[0])).toEqual(['hv1', 'kvm1', 'hosts:']);
}

describe('host text in the terminal report', () => {
  it('fake host lines, a fake recap, escape sequences and a bidi override stay inside the host that sent them, visible', () => {
    const text = renderText(runReport(FAKE), { diff: true });
    textInvariants(text);
    expect(text).toContain('\\x1b[8mhidden'); // shown, not interpreted
    expect(text).toContain('\\u202eevil');
    expect(text).toContain('== kvm1: drifted');
  });

  it('any string a host sends (generated)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        textInvariants(renderText(runReport(s), { diff: true }));
      }),
    );
  });
});

function goldenEvidence(): EvidenceReport {
  const doc = JSON.parse(readFileSync(fileURLToPath(new URL('../golden/olvm/evidence.json', import.meta.url)), 'utf8'));
  doc.catalog.sha256 = 'a'.repeat(64); // the golden file holds a placeholder
  return evidenceSchema.parse(doc);
}

function hostileEvidence(hostile: string): EvidenceReport {
  const r = goldenEvidence();
  const row = r.requirements[0]!;
  r.requirements[0] = { ...row, verdict: 'not met', found: [hostile, hostile], reason: hostile };
  r.hosts[0] = { ...r.hosts[0]!, error: hostile };
  return r;
}

describe('host text in the evidence Markdown', () => {
  it('no HTML element, link or column break from a host; vprov keeps its own row layout', () => {
    const md = renderEvidenceMd(hostileEvidence(`${HTML}${FAKE}`));
    expect(md).not.toMatch(/<img|(?<!\\)\]\(javascript/);
    expect(md).not.toMatch(RAW_CONTROL);
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const plain = renderEvidenceMd(goldenEvidence());
    // the same number of table rows and columns as the report without hostile text
    const shape = (m: string) =>
      m
        .split('\n')
        .filter((l) => l.startsWith('|'))
        .map((l) => l.split(/(?<!\\)\|/).length);
    expect(shape(md)).toEqual(shape(plain));
  });

  it('any string a host sends keeps every row to its columns (generated)', () => {
    const plainShape = renderEvidenceMd(goldenEvidence())
      .split('\n')
      .filter((l) => l.startsWith('|'))
      .map((l) => l.split(/(?<!\\)\|/).length);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (s) => {
        const md = renderEvidenceMd(hostileEvidence(s));
        expect(md).not.toMatch(RAW_CONTROL);
        expect(md).not.toMatch(/<(?!br>)[a-z]/i);
        const shape = md
          .split('\n')
          .filter((l) => l.startsWith('|'))
          .map((l) => l.split(/(?<!\\)\|/).length);
        expect(shape).toEqual(plainShape);
      }),
    );
  });
});

describe('host text in the machine and HTML formats (these held already: kept so)', () => {
  const hostile = `${HTML}${FAKE}`;
  it('HTML reports escape it', () => {
    expect(renderHtml(runReport(hostile), 4)).not.toContain('<img');
    expect(renderEvidenceHtml(hostileEvidence(hostile))).not.toContain('<img');
  });
  it('JSON carries it exactly', () => {
    const doc = JSON.parse(renderJson(runReport(hostile), 4));
    expect(doc.hosts[0].error).toBe(hostile);
  });
  it('JUnit escapes it as XML', () => {
    const xml = renderJunit(runReport(hostile));
    expect(xml).not.toContain('<img');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/); // not allowed in XML 1.0
  });
});
