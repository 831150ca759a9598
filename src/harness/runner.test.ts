import { describe, expect, it } from 'vitest';
import { parseExpectationFile, applyExpectations } from './expectation-file.js';
import { inProcessMockControl } from './in-process-mock-control.js';
import { referenceImplementation } from './reference-implementation.js';
import type { CaseResult } from './results.js';
import { runConformance, selectRules } from './runner.js';
import type { Suite } from './suite.js';

const fakeSuite = (rules: string[], verdicts: CaseResult['verdict'][]): Suite => ({
  id: 'fake',
  title: 'fake',
  rules,
  async run() {
    return rules.map((ruleId, i) => ({ type: 'case' as const, ruleId, caseId: `c${i}`, verdict: verdicts[i] ?? 'pass', message: 'm', durationMs: 1 }));
  },
});

describe('runner', () => {
  it('a rule prefix that selects nothing is a usage error, not a vacuous pass', () => {
    expect(() => selectRules(['NOPE'])).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(selectRules(['HDR.AGENT'])).toEqual(['HDR.AGENT.001', 'HDR.AGENT.002']);
  });

  it('is ok only when every selected rule ran and passed', async () => {
    const mock = await inProcessMockControl();
    try {
      const run = (suite: Suite, prefixes: string[]) => runConformance({ implementation: referenceImplementation(), mock, suites: [suite], rulePrefixes: prefixes, seed: 1, runs: 1 });
      expect((await run(fakeSuite(['HDR.AGENT.001', 'HDR.AGENT.002'], ['pass', 'pass']), ['HDR.AGENT'])).footer.ok).toBe(true);
      expect((await run(fakeSuite(['HDR.AGENT.001', 'HDR.AGENT.002'], ['pass', 'fail']), ['HDR.AGENT'])).footer.ok).toBe(false);
      expect((await run(fakeSuite(['HDR.AGENT.001', 'HDR.AGENT.002'], ['pass', 'skip']), ['HDR.AGENT'])).footer.ok).toBe(false);
      const partial = await run(fakeSuite(['HDR.AGENT.001'], ['pass']), ['HDR.AGENT']);
      expect(partial.footer.ok).toBe(false);
      expect(partial.footer.rulesNotReached).toEqual(['HDR.AGENT.002']);
    } finally {
      await mock.close();
    }
  });
});

describe('expectation files', () => {
  const file = parseExpectationFile(JSON.stringify({ knownFailures: [{ rule: 'AGENT.TASK.005', reason: 'registers per request', link: 'https://example.invalid/x' }] }), 'e.json');
  const result = (ruleId: string, verdict: CaseResult['verdict']): CaseResult => ({ type: 'case', ruleId, caseId: 'c', verdict, message: 'm', durationMs: 0 });

  it('marks a known failure as expected', () => {
    const [r] = applyExpectations([result('AGENT.TASK.005', 'fail')], file);
    expect(r?.expectedFailure?.reason).toBe('registers per request');
  });

  it('an expected failure that passed fails the run', () => {
    const out = applyExpectations([result('AGENT.TASK.005', 'pass')], file);
    expect(out.some((r) => r.verdict === 'error' && /expected to fail/.test(r.message))).toBe(true);
  });

  it('rejects unknown rule ids and missing reasons with a typed error', () => {
    expect(() => parseExpectationFile('{"knownFailures":[{"rule":"X.Y.001","reason":"r"}]}', 'e.json')).toThrow(/not a rule id/);
    expect(() => parseExpectationFile('{"knownFailures":[{"rule":"AGENT.TASK.005"}]}', 'e.json')).toThrow(/no reason/);
    expect(() => parseExpectationFile('{"knownFailures":[{"rule":"AGENT.TASK.001","reason":"old"}]}', 'e.json')).toThrow(/withdrawn .*AGENT\.TASK\.004/);
    expect(() => parseExpectationFile('nope', 'e.json')).toThrow(/not JSON/);
  });
});
