import { describe, expect, it } from 'vitest';
import { ConformanceInputError } from '../../errors.js';
import type { CaseResult, RunReport } from '../results.js';
import { loadBugCorpus } from './bug.js';
import { corpusTable } from './corpus.js';
import { clientAt, parseReportLine, REPORT_LINE } from './ecosystem-bug.js';
import { describeBugRun, outcomeOf, type BugRun } from './run-bug.js';

/**
 * How a run's verdicts become a bug outcome (no binary runs here): a SHARE finding on a release
 * older than the rule's source reproduces an entry only when the entry names the codex release
 * that fixed it; ecosystem entries name a client of the harness at another published version.
 */
const corpus = loadBugCorpus();
const a1 = corpus.find((b) => b.corpus === 'A1')!;

function report(cases: readonly Omit<CaseResult, 'type' | 'durationMs'>[]): RunReport {
  return {
    header: { type: 'header', formatVersion: 1, tool: { name: 'codex-auth-conformance', version: '0' }, implementation: { name: 'codex-cli', version: '0.80.0' }, seed: 1, runs: 1, rulesSelected: ['SHARE.RELOAD.002'], startedAt: '2026-12-06T00:00:00Z' },
    cases: cases.map((c) => ({ type: 'case', durationMs: 0, ...c })),
    footer: { type: 'footer', counts: { pass: 0, fail: 0, skip: 0, unsupported: 1, error: 0 }, ok: true, durationMs: 0 } as unknown as RunReport['footer'],
  };
}

const finding = { ruleId: 'SHARE.RELOAD.002', caseId: 'codex-cli:appServerRotation', verdict: 'unsupported' as const, message: 'finding on 0.80.0, not a failure (the source at this release intends it: ...). Observed: token request #5 redeemed the cached login' };

describe('bug outcomes', () => {
  it('SHARE.RELOAD.002: A1 plays a shared-credential scenario on codex-cli:0.80.0 and names the fixed release 0.105.0', () => {
    expect(a1.affects.implementation).toEqual({ kind: 'codexCli', arg: 'codex-cli:0.80.0', version: '0.80.0' });
    expect(a1.fixed?.implementation.arg).toBe('codex-cli:0.105.0');
    expect(a1.scenario.kind === 'blackbox' && a1.scenario.scenario.family).toBe('shared-credential');
  });

  it('SHARE.RELOAD.002: a finding on the affected release reproduces an entry with a fixed codex release, and the line and table say it was a finding', () => {
    const r = outcomeOf(a1, 'affected', report([finding]));
    expect(r.outcome).toEqual({ kind: 'reproduced', findings: ['SHARE.RELOAD.002'] });
    const run: BugRun = { bug: a1, against: 'affected', target: a1.affects, profile: 'codex-0.171', verdicts: r.verdicts, outcome: r.outcome, report: report([finding]), durationMs: 1 };
    expect(describeBugRun(run)).toMatch(/^REPRODUCED A1-.* SHARE\.RELOAD\.002 unsupported — finding on 0\.80\.0.*a finding on this release, whose own source intends it/);
    expect(corpusTable({ rows: [{ bug: a1, affected: run }], ok: true, durationMs: 1 })).toContain('yes (SHARE.RELOAD.002 a finding');
  });

  it('SHARE.RELOAD.002: a finding does not reproduce an entry without a fixed codex release, nor does an unsupported verdict that is no finding', () => {
    const { fixed: _fixed, ...noFix } = a1;
    expect(outcomeOf(noFix, 'affected', report([finding])).outcome.kind).toBe('notReproduced');
    expect(outcomeOf(a1, 'affected', report([{ ...finding, message: 'SHARE.RELOAD.002 unsupported: the mock cannot serve it' }])).outcome.kind).toBe('notReproduced');
    expect(outcomeOf(a1, 'affected', report([finding, { ...finding, verdict: 'pass', message: 'ok' }])).outcome.kind).toBe('notReproduced');
    expect(outcomeOf(a1, 'fixed', report([finding])).outcome.kind).toBe('fixedFails');
  });

  it('URL.MODEL.001: an ecosystem entry names a client of the harness at another version; an unknown client is a typed error with a Fix line', () => {
    expect(clientAt('pi-ai', '0.51.3')).toMatchObject({ id: 'pi-ai', npmName: '@mariozechner/pi-ai', version: '0.51.3' });
    expect(() => clientAt('hermes-agent', '0.4.0')).toThrow(ConformanceInputError);
    expect(() => clientAt('stand-in', '0.0.0')).toThrow(/Fix: name one of codex-as-api/);
    const r = report([finding]);
    expect(parseReportLine(`noise\n${REPORT_LINE}${JSON.stringify(r)}\n`)).toEqual(r);
    expect(parseReportLine('no report here\n')).toBeUndefined();
  });
});
