import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { htmlReport } from '../reporters/html/index.js';
import type { CoexistenceRecording } from '../judges/coexistence/coexistence-recording.js';
import { judgeCoexistence } from '../judges/coexistence/judge-coexistence.js';
import { parseCrashTable } from '../judges/coexistence/crash-safety-table.js';
import { ecosystemClient } from './clients.js';
import { renderCoexistenceHtml } from './coexistence-rows.js';
import type { EcosystemDocument } from './ecosystem-document.js';
import { ecosystemJson, renderEcosystemMarkdown } from './ecosystem-report.js';
import type { ClientRun } from './ecosystem-run.js';

/** The coexistence rows of `run --impl ecosystem`, rendered from recordings cut from a real run. */
const fixture = (name: string): CoexistenceRecording => JSON.parse(readFileSync(new URL(`../judges/coexistence/testdata/${name}.json`, import.meta.url), 'utf8')) as CoexistenceRecording;

function clientRun(id: string, names: readonly string[]): ClientRun {
  return { client: ecosystemClient(id)!, version: '0', scenarios: [], notRun: [], durationMs: 1, coexistence: names.map((n) => ({ recording: fixture(n), verdicts: judgeCoexistence(fixture(n)) })) };
}

const doc: EcosystemDocument = {
  run: { startedAt: '2026-12-06T00:00:00.000Z', dnsObserved: true, durationMs: 1, clients: [clientRun('openai-oauth', ['openai-oauth-clientFirst']), clientRun('pi-ai', ['pi-ai-clientFirst', 'pi-ai-codexFirst'])] },
  reports: [],
  expectations: new Map(),
  profile: 'codex-0.171',
  crash: parseCrashTable('| writer | kill runs | broken |\n|---|---:|---|\n| ecosystem:openai-oauth | 9 | **0** |'),
  coexistence: new Map([['pi-ai', [{ scenario: 'pi-ai-clientFirst', check: 'codexStillWorks', verdict: 'fail' }]]]),
};

describe('coexistence rows of the ecosystem table', () => {
  const md = renderEcosystemMarkdown({ ...doc, reports: doc.run.clients.map(() => ({ header: { implementation: { name: 'x' } }, cases: [], footer: {} }) as never) });

  it('one row per verdict and the kill row, per client', () => {
    expect(md).toMatch(/^Judged under contract profile `codex-0.171`; 2 client\(s\), 0 scenario run\(s\) and 3 beside the codex binary 0.171.0, wall time/);
    expect(md).toContain('| Codex still works after this client refreshes | ✅ pass <sub>clientFirst</sub> | ❌ fail (recorded) <sub>clientFirst</sub> |');
    expect(md).toContain('| redeems no refresh token twice (lineage) | ✅ pass <sub>clientFirst</sub> | ❌ fail <sub>clientFirst, codexFirst</sub> |');
    expect(md).toContain('| keeps the keys it does not own | ✅ pass <sub>clientFirst</sub> | ✅ pass <sub>clientFirst, codexFirst</sub> |');
    expect(md).toMatch(/\| survives a kill mid-write \| ✅ 0 broken of 9 kill runs <sub>docs\/crash-safety.md<\/sub> \| n\/a <sub>never writes CODEX_HOME\/auth.json/);
  });

  it('each failure names its scenario and the lineage redeemed twice', () => {
    expect(md).toMatch(/- \*\*pi-ai\*\* redeems no refresh token twice \(lineage\) — `pi-ai-clientFirst`: family-\d+ generation 0 was redeemed twice: #\d+ by client/);
    expect(md).toMatch(/- \*\*pi-ai\*\* Codex still works after this client refreshes — `pi-ai-clientFirst`: step 7 \(exec by codex\) did not complete/);
  });

  it('the json and html reports carry the same verdicts', () => {
    const json = ecosystemJson({ ...doc, reports: doc.run.clients.map(() => ({ cases: [], footer: { ok: true, results: {}, rules: {} } }) as never) }) as { clients: Array<{ id: string; coexistence?: { scenarios: Array<{ verdicts: Array<{ check: string; verdict: string }> }> }; survivesKill: { kind: string } }> };
    expect(json.clients[1]!.coexistence!.scenarios[0]!.verdicts.map((v) => `${v.check} ${v.verdict}`)).toEqual(['codexStillWorks fail', 'noDoubleRedemption fail', 'keepsForeignKeys pass', 'neverOlderGeneration fail', 'neverHalfWritten notExercised']);
    expect(json.clients.map((c) => c.survivesKill.kind)).toEqual(['measured', 'notApplicable']);
    const html = htmlReport([], renderCoexistenceHtml(doc));
    expect(html).toContain('<section id="coexistence">');
    expect(html).toContain('❌ fail (recorded) (clientFirst)');
  });
});
