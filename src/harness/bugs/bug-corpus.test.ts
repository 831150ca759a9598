import { describe, expect, it } from 'vitest';
import { ConformanceInputError } from '../../errors.js';
import { loadBugCorpus, parseBug } from './bug.js';
import { corpusTable, runCorpus } from './corpus.js';
import { runBug } from './run-bug.js';
import { main } from '../../cli/main.js';

/**
 * The bug corpus (scenarios/bugs/): every entry loads and names catalogued rules; a few cheap
 * mutant entries run here (ms each: the whole corpus, real releases included, runs in
 * `npm run bugs`). Titled by the rules the entries must fail.
 */
const corpus = loadBugCorpus();
const byId = (id: string) => corpus.find((b) => b.id === id)!;

describe('bug corpus (scenarios/bugs/)', () => {
  it('every entry matches schemas/bug/v1.json, one file per corpus id, every class A-G present', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(20);
    expect(new Set(corpus.map((b) => b.corpus)).size).toBe(corpus.length);
    expect([...new Set(corpus.map((b) => b.class))].sort()).toEqual(['A', 'B', 'C', 'D', 'E', 'G']);
    for (const b of corpus) {
      if (b.affects.implementation.kind === 'inProcess') expect(b.affects.note, `${b.id}: a mutant entry says why it stands for the reported build`).toBeDefined();
    }
  });

  it('rejects an entry whose id does not name its corpus id, with a Fix line', () => {
    const raw = { format: 'bug/v1', id: 'D2-x', corpus: 'D3', class: 'D', symptom: 'a symptom line', links: ['https://example.invalid/1'], mechanism: 'a mechanism line', affects: { implementation: 'mutant:enroll-account-appended' }, rules: ['HDR.UNIQUE.001'], scenario: { kind: 'replay', seed: 7, runs: 2 } };
    expect(() => parseBug(raw, 'inline', 'scenarios/bugs/D2-x.json')).toThrow(ConformanceInputError);
    expect(() => parseBug(raw, 'inline', 'scenarios/bugs/D2-x.json')).toThrow(/Fix: write the id as <corpus>-<slug>/);
    const ok = { ...raw, corpus: 'D2' };
    expect(parseBug(ok, 'inline', 'scenarios/bugs/D2-x.json').rules).toEqual(['HDR.UNIQUE.001']);
    expect(() => parseBug({ ...ok, rules: ['HDR.NOPE.001'] }, 'inline', 'scenarios/bugs/D2-x.json')).toThrow(/not in the rule catalogue/);
    expect(() => parseBug({ ...ok, affects: { implementation: 'codex-cli:0.171.0' } }, 'inline', 'scenarios/bugs/D2-x.json')).toThrow(/needs a blackbox scenario/);
  });

  it('GATE.WORKSPACE.001: the forced-workspace mutant reproduces D7 and the reference passes', async () => {
    const bug = { ...byId('D7-codex-forced-workspace-pat-headers'), affects: { implementation: { kind: 'inProcess' as const, arg: 'mutant:forced-workspace-managed-only' } }, fixed: { implementation: { kind: 'inProcess' as const, arg: 'reference' } }, scenario: { kind: 'replay' as const, seed: 7, runs: 2 } };
    expect((await runBug(bug, 'affected')).outcome.kind).toBe('reproduced');
    expect((await runBug(bug, 'fixed')).outcome.kind).toBe('fixedPasses');
  });

  it('HDR.ACCOUNT.001: D1 reproduces on its mutant; the corpus table says yes and the fix passes', async () => {
    const run = await runCorpus([byId('D1-codex-no-account-header')]);
    expect(run.ok).toBe(true);
    const table = corpusTable(run);
    expect(table).toContain('| `mutant:account-id-dropped` | `reference`: passes | HDR.ACCOUNT.001 | yes |');
  });

  it('an entry whose rule the implementation does not break is NOT reproduced (and the table says no)', async () => {
    const bug = { ...byId('D1-codex-no-account-header'), affects: { implementation: { kind: 'inProcess' as const, arg: 'reference' } } };
    const run = await runBug(bug, 'affected');
    expect(run.outcome.kind).toBe('notReproduced');
    expect(run.verdicts['HDR.ACCOUNT.001']).toBe('pass');
    const table = corpusTable({ rows: [{ bug, affected: run }], ok: false, durationMs: 1 });
    expect(table).toContain('| no (HDR.ACCOUNT.001 pass) |');
  });

  it('HDR.ACCOUNT.001 through the CLI: repro of D1 exits 1 saying REPRODUCED, --against fixed exits 0 saying FIX HOLDS', async () => {
    const run = async (args: string[]) => {
      const out: string[] = [];
      const code = await main(['repro', 'scenarios/bugs/D1-codex-no-account-header.json', ...args], { out: (l) => out.push(l), err: () => undefined, env: {}, cwd: process.cwd() });
      return { code, out: out.join('\n') };
    };
    const affected = await run([]);
    expect(affected.code).toBe(1);
    expect(affected.out).toMatch(/^REPRODUCED D1-codex-no-account-header on mutant:account-id-dropped \(codex-0\.171\): HDR\.ACCOUNT\.001 fail/);
    const fixed = await run(['--against', 'fixed']);
    expect(fixed.code).toBe(0);
    expect(fixed.out).toMatch(/^FIX HOLDS D1-codex-no-account-header on reference/);
  });
});
