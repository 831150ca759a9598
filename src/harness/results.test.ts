import { describe, expect, it } from 'vitest';
import { diffRuns } from './diff-results.js';
import { reporterFor, REPORTER_NAMES } from './reporters/index.js';
import { mergeReports, parseResultsNdjson, parseResultsStreams, ruleVerdict, summarize, toNdjson, type CaseResult, type RunHeader, type RunReport } from './results.js';

function caseResult(ruleId: string, verdict: CaseResult['verdict'], extra: Partial<CaseResult> = {}): CaseResult {
  return { type: 'case', ruleId, caseId: `${ruleId}/c1`, verdict, message: `${verdict} <&> "q"`, durationMs: 3, ...extra };
}

function header(rules: readonly string[], name = 'reference', extra: Partial<RunHeader> = {}): RunHeader {
  return {
    type: 'header',
    formatVersion: 2,
    tool: { name: 'codex-auth-conformance', version: '0.1.0' },
    implementation: { name, version: '1' },
    seed: 42,
    runs: 10,
    rulesSelected: rules,
    startedAt: '2026-11-28T00:00:00.000Z',
    ...extra,
  };
}

function report(cases: CaseResult[], name = 'reference', extra: Partial<RunHeader> = {}): RunReport {
  const h = header([...new Set(cases.map((c) => c.ruleId))], name, extra);
  return { header: h, cases, footer: summarize(h, cases, { casesRun: 7, durationMs: 1234 }) };
}

describe('results stream', () => {
  it('round-trips through NDJSON', () => {
    const r = report([caseResult('HDR.API.001', 'pass'), caseResult('GATE.API.001', 'fail', { replay: { seed: 1, command: 'x' } })]);
    expect(parseResultsNdjson(toNdjson(r), 'r.ndjson')).toEqual(r);
  });

  it('rejects a line that is not JSON with its line number', () => {
    expect(() => parseResultsNdjson(`${JSON.stringify(header(['HDR.API.001']))}\nnot json\n`, 'r.ndjson')).toThrow(/line 2 is not JSON/);
    expect(() => parseResultsNdjson('{"type":"header"}\n', 'r.ndjson')).toThrow(/line 1 is a header without/);
  });

  it('a rule with one failing case fails; errors outrank failures; all-skip is skip', () => {
    expect(ruleVerdict([caseResult('A.B.001', 'pass'), caseResult('A.B.001', 'fail')])).toBe('fail');
    expect(ruleVerdict([caseResult('A.B.001', 'fail'), caseResult('A.B.001', 'error')])).toBe('error');
    expect(ruleVerdict([caseResult('A.B.001', 'skip')])).toBe('skip');
  });

  it('unsupported: a pass elsewhere wins, a skip outranks it, alone it is unsupported', () => {
    expect(ruleVerdict([caseResult('A.B.001', 'unsupported'), caseResult('A.B.001', 'pass')])).toBe('pass');
    expect(ruleVerdict([caseResult('A.B.001', 'unsupported'), caseResult('A.B.001', 'skip')])).toBe('skip');
    expect(ruleVerdict([caseResult('A.B.001', 'unsupported')])).toBe('unsupported');
  });

  it('an unsupported rule does not make a run partial; a skipped one does', () => {
    expect(report([caseResult('HDR.API.001', 'pass'), caseResult('URL.X.001', 'unsupported')]).footer.ok).toBe(true);
    expect(report([caseResult('HDR.API.001', 'pass'), caseResult('URL.X.001', 'skip')]).footer.ok).toBe(false);
    expect(report([caseResult('URL.X.001', 'unsupported')]).footer.ok, 'a run that judged nothing is not OK').toBe(false);
  });

  it('counts rules and result lines separately: 2 failing lines of one rule are 1 failed rule', () => {
    const r = report([caseResult('HDR.API.001', 'pass'), caseResult('GATE.API.001', 'fail'), caseResult('GATE.API.001', 'fail', { caseId: 'c2' })]);
    expect(r.footer.rules).toEqual({ pass: 1, fail: 1, error: 0, skip: 0, unsupported: 0 });
    expect(r.footer.results).toEqual({ pass: 1, fail: 2, error: 0, skip: 0, unsupported: 0 });
    expect(r.footer.casesRun).toBe(7);
  });

  it('merges the shards of one run; a missing shard or an unreached rule makes the merge NOT OK', () => {
    const rules = ['HDR.API.001', 'GATE.API.001'];
    const shard = (index: number, cases: CaseResult[]): RunReport => {
      const h = header(rules, 'reference', { shard: { index, count: 2 } });
      return { header: h, cases, footer: summarize(h, cases, { casesRun: 5, durationMs: 10 * index }) };
    };
    const one = shard(1, [caseResult('HDR.API.001', 'pass')]);
    const two = shard(2, [caseResult('GATE.API.001', 'pass')]);
    expect(one.footer.ok, 'a shard does not need every rule').toBe(true);
    const text = toNdjson(one) + toNdjson(two);
    const [merged] = mergeReports(parseResultsStreams(text, 'all.ndjson'));
    expect(merged!.header.mergedShards).toEqual({ count: 2, indices: [1, 2] });
    expect(merged!.footer).toMatchObject({ ok: true, casesRun: 10, durationMs: 20, rulesNotReached: [] });
    const [alone] = mergeReports([one, shard(1, [])].slice(0, 1));
    expect(alone!.footer.ok).toBe(false);
    expect(() => mergeReports([one, one])).toThrow(/appears twice/);
  });

  it('reads a version-1 stream (counts recomputed)', () => {
    const v1 = [
      JSON.stringify({ ...header(['HDR.API.001']), formatVersion: 1 }),
      JSON.stringify(caseResult('HDR.API.001', 'pass')),
      JSON.stringify({ type: 'footer', counts: { pass: 1, fail: 0, skip: 0, error: 0 }, rulesNotReached: [], durationMs: 5, ok: true }),
    ].join('\n');
    expect(parseResultsNdjson(v1, 'v1').footer).toMatchObject({ ok: true, rules: { pass: 1 }, durationMs: 5 });
  });
});

describe('reporters', () => {
  const r = report([caseResult('HDR.API.001', 'pass'), caseResult('GATE.API.001', 'fail', { expected: 'refused', actual: 'sent' }), caseResult('URL.X.001', 'skip')]);

  it('junit: one testcase per rule; escapes XML and counts failures', () => {
    const xml = reporterFor('junit')(r);
    expect(xml).toContain('failures="1"');
    expect(xml).toContain('&lt;&amp;&gt; &quot;q&quot;');
    expect(xml).not.toContain('<&>');
  });

  it('tap numbers every rule and marks failures not ok', () => {
    const tap = reporterFor('tap')(r);
    expect(tap).toMatch(/^TAP version 14\n1\.\.3\n/);
    expect(tap).toContain('not ok 2 - GATE.API.001');
    expect(tap).toContain('# SKIP');
  });

  it('every format carries the replay command of a failure', () => {
    const failing = report([caseResult('GATE.API.001', 'fail', { counterexample: 'apiKey → x', replay: { seed: 7, path: '3:1', command: 'codex-auth-conformance run --impl reference --rules GATE.API.001 --seed 7 --path 3:1' } })]);
    for (const name of REPORTER_NAMES) expect(reporterFor(name)(failing), name).toContain('--rules GATE.API.001 --seed 7 --path 3:1');
  });

  it('unsupported rules are shown as such in every human format', () => {
    const u = report([caseResult('HDR.API.001', 'pass'), caseResult('URL.X.001', 'unsupported', { message: 'implementation does not volunteer introspection of x' })]);
    expect(reporterFor('pretty')(u)).toMatch(/UNSUP URL\.X\.001/);
    expect(reporterFor('markdown')(u)).toContain('➖ unsupported');
    expect(reporterFor('junit')(u)).toContain('<skipped message="unsupported: implementation does not volunteer');
    expect(reporterFor('tap')(u)).toContain('# SKIP unsupported: implementation does not volunteer');
  });

  it('markdown renders the rule x implementation matrix', () => {
    const md = reporterFor('markdown')(r);
    expect(md).toContain('| GATE.API.001 | ❌ fail');
    expect(md).toContain('| HDR.API.001 | ✅ pass |');
  });

  it('pretty prints the per-area table and the closing counts', () => {
    const text = reporterFor('pretty')(r);
    expect(text).toMatch(/GATE\s+1\s+0\s+1/);
    expect(text).toContain('3 rules: 1 passed, 1 failed, 1 skipped; 7 case(s) run');
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
