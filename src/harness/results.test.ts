import { describe, expect, it } from 'vitest';
import { diffRuns } from './diff-results.js';
import { reporterFor, REPORTER_NAMES } from './reporters/index.js';
import { countVerdicts, parseResultsNdjson, ruleVerdict, toNdjson, type CaseResult, type RunReport } from './results.js';

function caseResult(ruleId: string, verdict: CaseResult['verdict'], extra: Partial<CaseResult> = {}): CaseResult {
  return { type: 'case', ruleId, caseId: `${ruleId}/c1`, verdict, message: `${verdict} <&> "q"`, durationMs: 3, ...extra };
}

function report(cases: CaseResult[], name = 'reference'): RunReport {
  const counts = countVerdicts(cases);
  return {
    header: {
      type: 'header',
      formatVersion: 1,
      tool: { name: 'codex-auth-conformance', version: '0.1.0' },
      implementation: { name, version: '1' },
      seed: 42,
      runs: 10,
      rulesSelected: [...new Set(cases.map((c) => c.ruleId))],
      startedAt: '2026-11-28T00:00:00.000Z',
    },
    cases,
    footer: { type: 'footer', counts, rulesNotReached: [], durationMs: 1234, ok: counts.fail === 0 && counts.error === 0 },
  };
}

describe('results stream', () => {
  it('round-trips through NDJSON', () => {
    const r = report([caseResult('HDR.API.001', 'pass'), caseResult('GATE.API.001', 'fail', { replay: { seed: 1, command: 'x' } })]);
    expect(parseResultsNdjson(toNdjson(r), 'r.ndjson')).toEqual(r);
  });

  it('rejects a line that is not JSON with its line number', () => {
    expect(() => parseResultsNdjson('{"type":"header"}\nnot json\n', 'r.ndjson')).toThrow(/line 2 is not JSON/);
  });

  it('a rule with one failing case fails; errors outrank failures; all-skip is skip', () => {
    expect(ruleVerdict([caseResult('A.B.001', 'pass'), caseResult('A.B.001', 'fail')])).toBe('fail');
    expect(ruleVerdict([caseResult('A.B.001', 'fail'), caseResult('A.B.001', 'error')])).toBe('error');
    expect(ruleVerdict([caseResult('A.B.001', 'skip')])).toBe('skip');
  });
});

describe('reporters', () => {
  const r = report([caseResult('HDR.API.001', 'pass'), caseResult('GATE.API.001', 'fail', { expected: 'refused', actual: 'sent' }), caseResult('URL.X.001', 'skip')]);

  it('junit escapes XML and counts failures', () => {
    const xml = reporterFor('junit')(r);
    expect(xml).toContain('failures="1"');
    expect(xml).toContain('&lt;&amp;&gt; &quot;q&quot;');
    expect(xml).not.toContain('<&>');
  });

  it('tap numbers every case and marks failures not ok', () => {
    const tap = reporterFor('tap')(r);
    expect(tap).toMatch(/^TAP version 14\n1\.\.3\n/);
    expect(tap).toContain('not ok 2 - GATE.API.001');
    expect(tap).toContain('# SKIP');
  });

  it('markdown renders the rule x implementation matrix', () => {
    const md = reporterFor('markdown')(r);
    expect(md).toContain('| GATE.API.001 | ❌ fail');
    expect(md).toContain('| HDR.API.001 | ✅ pass |');
  });

  it('pretty prints the per-area table and the closing counts', () => {
    const text = reporterFor('pretty')(r);
    expect(text).toMatch(/GATE\s+1\s+0\s+1/);
    expect(text).toContain('1 passed, 1 failed, 1 skipped, 0 errored');
    expect(text).toContain('NOT OK');
  });

  it('every reporter name renders', () => {
    for (const name of REPORTER_NAMES) expect(reporterFor(name)(r).length).toBeGreaterThan(0);
  });
});

describe('diff', () => {
  it('lists rules whose verdict changed, and rules present on one side only', () => {
    const a = report([caseResult('HDR.API.001', 'pass'), caseResult('GATE.API.001', 'pass')]);
    const b = report([caseResult('HDR.API.001', 'pass'), caseResult('GATE.API.001', 'fail'), caseResult('URL.X.001', 'pass')]);
    expect(diffRuns(a, b)).toEqual([
      { ruleId: 'GATE.API.001', before: 'pass', after: 'fail' },
      { ruleId: 'URL.X.001', before: 'absent', after: 'pass' },
    ]);
  });
});
