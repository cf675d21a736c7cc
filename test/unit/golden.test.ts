/**
 * Golden outputs of every shipped example inventory, compared byte for byte with the files
 * under test/golden/<inventory>/: per host the rendered nftables table, firewalld XML and
 * sudoers drop-in; per inventory the plan (text and JSON) and the evidence report (Markdown
 * and JSON), computed from fixed facts (test/golden/facts/*.txt: what a host's facts script
 * prints) without SSH. They guard refactors: output that changes on purpose is regenerated
 * in the same commit, and the diff reviewed.
 *
 * Update: VPROV_UPDATE_GOLDEN=1 npx vitest run test/unit/golden.test.ts
 *
 * Hosts take the facts fixtures in turn by their position in the inventory (even: an
 * nftables host with a firewalld file left behind; odd: a firewalld host with drift in
 * every resource), so both backends and both directions of clean-up are rendered. Times,
 * the controller's name and the catalog's digest are replaced by fixed values.
 * apply-scripts.sh holds the whole script an apply sends (the facts script inside it): any
 * change to what reaches a host shows there.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../../src/catalog/load.js';
import { loadInventory } from '../../src/inventory/load.js';
import { compile } from '../helpers/compile.js';
import { convergeAll } from '../../src/app/converge-all.js';
import { convergeHost } from '../../src/app/converge.js';
import { collectEvidence } from '../../src/app/evidence.js';
import { exitCodeOf } from '../../src/app/exit-code.js';
import { ReportFold } from '../../src/app/report-fold.js';
import { renderText } from '../../src/report/text.js';
import { renderJson } from '../../src/report/json.js';
import { renderEvidenceJson, renderEvidenceMd } from '../../src/report/evidence.js';
import { desiredTable, renderTable } from '../../src/resources/firewall-nftables.js';
import { desiredFirewalld } from '../../src/resources/firewall-firewalld.js';
import { renderSudoers } from '../../src/resources/sudoers.js';
import type { HostDesired } from '../../src/core/types.js';
import type { Connection, ExecResult, RunOptions } from '../../src/transport/types.js';
import { hostPrinted } from '../helpers/facts-output.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GOLDEN = join(ROOT, 'test/golden');
const UPDATE = process.env.VPROV_UPDATE_GOLDEN === '1';
const INVENTORIES = readdirSync(join(ROOT, 'inventories'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const FIXTURES = ['nftables-host', 'firewalld-host'].map((f) => readFileSync(join(GOLDEN, 'facts', `${f}.txt`), 'utf8'));
const CONTROLLER = '192.0.2.200';
const NO_SSH_CONFIG = join(GOLDEN, 'no-ssh-config');

/** Byte-identical with the golden file, or (VPROV_UPDATE_GOLDEN=1) written to it. */
function golden(rel: string, actual: string): void {
  const file = join(GOLDEN, rel);
  if (UPDATE) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file ${rel} is missing: run VPROV_UPDATE_GOLDEN=1 npx vitest run test/unit/golden.test.ts and review it`);
  expect(actual, rel).toBe(readFileSync(file, 'utf8'));
}

/** A host that answers every script with its facts fixture (and TCP probes as open): no SSH. */
function fakeConnector(order: readonly string[]) {
  return async (d: HostDesired): Promise<Connection> => {
    let roundTrips = 0;
    const facts = FIXTURES[order.indexOf(d.name) % FIXTURES.length]!;
    return {
      get roundTrips() {
        return roundTrips;
      },
      close() {},
      async runScript(script: string, opts?: RunOptions): Promise<ExecResult> {
        roundTrips++;
        const out = [facts];
        if (script.includes("'@@vprov:evidence-probe@@'")) {
          const targets = [...new Set([...script.matchAll(/'([0-9a-f.:]+),(\d+)'/g)].map((m) => `${m[1]} ${m[2]} open`))];
          out.push(`@@vprov:evidence-probe@@\n${targets.join('\n')}\n`);
        }
        out.push('@@vprov:end@@\n');
        return { code: 0, stdout: hostPrinted(out.join(''), opts?.prelude ? `${CONTROLLER} 50000 ${d.address} 22` : undefined), stderr: '' };
      },
    };
  };
}

const stable = (text: string) => text.split(ROOT).join('<repo>/');

describe.each(INVENTORIES)('golden outputs of inventories/%s', (file) => {
  const name = file.replace(/\.yaml$/, '');
  const path = join(ROOT, 'inventories', file);
  const inv = loadInventory(path, loadCatalog());
  const order = Object.keys(inv.data.hosts);
  const { hosts } = compile(inv, { resolved: new Map(), local: { user: 'ops', home: '/home/ops' } });

  it('rendered nftables table, firewalld XML and sudoers drop-in of each host', () => {
    for (const h of hosts.filter((x) => x.managed)) {
      golden(`${name}/${h.name}.nft`, renderTable(desiredTable(h.firewall, [], 22)));
      golden(`${name}/${h.name}.firewalld.xml`, [...desiredFirewalld(h.firewall).files].map(([p, text]) => `<!-- ${p} -->\n${text}`).join('\n'));
      if (h.sudoers) golden(`${name}/${h.name}.sudoers`, renderSudoers(h.sudoers));
    }
  });

  it('plan, as text and as JSON, from the facts fixtures', async () => {
    const report = await convergeAll({ inventory: path, check: true, command: 'plan', connect: fakeConnector(order), sshConfigFile: NO_SSH_CONFIG, forks: 1 });
    report.startedAt = '2026-01-01T00:00:00.000Z';
    report.durationMs = 0;
    for (const h of report.hosts) h.durationMs = 0;
    golden(`${name}/plan.txt`, stable(renderText({ ...report, warnings: [] }, { diff: true })));
    golden(`${name}/plan.json`, stable(renderJson(report, exitCodeOf(report))));
  });

  it('plan folded host by host as hosts finish (what the CLI prints) is the same text and JSON', async () => {
    const fold = new ReportFold('plan', { json: true, text: { diff: true } });
    const keep = fold.keep.bind(fold);
    fold.keep = (h, i) => keep({ ...h, durationMs: 0 }, i);
    const report = await convergeAll({
      inventory: path,
      check: true,
      command: 'plan',
      connect: fakeConnector(order),
      sshConfigFile: NO_SSH_CONFIG,
      forks: 3,
      fold,
    });
    report.startedAt = '2026-01-01T00:00:00.000Z';
    report.durationMs = 0;
    try {
      golden(`${name}/plan.txt`, stable([...fold.textChunks({ ...report, warnings: [] })].join('')));
      golden(`${name}/plan.json`, stable([...fold.jsonChunks(report, exitCodeOf(report))].join('')));
    } finally {
      fold.close();
    }
  });

  it('evidence, as Markdown and as JSON, from the facts fixtures', async () => {
    const r = await collectEvidence({ inventory: path, connect: fakeConnector(order), sshConfigFile: NO_SSH_CONFIG, forks: 1 });
    r.generatedAt = '2026-01-01T00:00:00.000Z';
    r.durationMs = 0;
    r.controller = { host: 'controller', user: 'ops' };
    r.catalog.sha256 = '(sha256 of the catalog file)';
    golden(`${name}/evidence.md`, stable(renderEvidenceMd(r)));
    golden(`${name}/evidence.json`, stable(renderEvidenceJson(r)));
  });
});

describe.each(INVENTORIES)('golden apply scripts of inventories/%s', (file) => {
  const name = file.replace(/\.yaml$/, '');
  const path = join(ROOT, 'inventories', file);
  const inv = loadInventory(path, loadCatalog());
  const order = Object.keys(inv.data.hosts);
  const { hosts } = compile(inv, { resolved: new Map(), local: { user: 'ops', home: '/home/ops' } });
  const run = { runId: 'abc123', controller: 'controller', user: 'ops', pid: 4242, version: '0.0.0', startedAt: '2026-01-01T00:00:00.000Z', command: 'apply' };

  it('the one script an apply sends to each host, from the facts fixtures', async () => {
    const out: string[] = [];
    for (const h of hosts.filter((x) => x.managed)) {
      const scripts: string[] = [];
      const connect = fakeConnector(order);
      const recording = async (d: HostDesired): Promise<Connection> => {
        const c = await connect(d);
        return { ...c, runScript: (s: string, o?: RunOptions) => (scripts.push(s), c.runScript(s, o)), roundTrips: 0, close() {} };
      };
      await convergeHost(h, { check: false, site: inv.site, connect: recording, run });
      out.push(`#### ${h.name}: apply script`, (scripts[1] ?? '(none)').replace(/"time":"[^"]+"/, '"time":"(now)"'));
    }
    golden(`${name}/apply-scripts.sh`, out.join('\n'));
  });
});
