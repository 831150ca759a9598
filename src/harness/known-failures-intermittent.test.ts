import { describe, expect, it } from 'vitest';
import { applyExpectations, parseExpectationFile } from './expectation-file.js';
import type { CaseResult } from './results.js';

const RULE = 'SHARE.RACE.001';
const file = (extra: Record<string, unknown>) =>
  parseExpectationFile(JSON.stringify({ knownFailures: [{ rule: RULE, reason: 'two processes redeem one refresh token', failures: [{ case: 'codex-cli:execRace' }], ...extra }] }), 'e.json');
const result = (verdict: 'pass' | 'fail', caseId = 'codex-cli:execRace'): CaseResult => ({ type: 'case', ruleId: RULE, caseId, verdict, message: `${RULE} ${verdict}`, durationMs: 0 });
const errors = (cases: CaseResult[]) => cases.filter((c) => c.verdict === 'error');

describe('intermittent known failures (a race decides them)', () => {
  it(`${RULE}: a known failure that passed is stale, unless the entry is intermittent`, () => {
    expect(errors(applyExpectations([result('pass')], file({}))).map((c) => c.message)).toEqual([expect.stringContaining('was expected to fail')]);
    expect(errors(applyExpectations([result('pass')], file({ intermittent: true })))).toEqual([]);
  });

  it(`${RULE}: an intermittent entry still accepts only the pinned failure; another is new`, () => {
    const [known] = applyExpectations([result('fail')], file({ intermittent: true }));
    expect(known?.expectedFailure?.reason).toBe('two processes redeem one refresh token');
    const [fresh] = applyExpectations([result('fail', 'codex-cli:appServerRotation')], file({ intermittent: true }));
    expect(fresh?.expectedFailure).toBeUndefined();
    expect(fresh?.message).toContain('[new: SHARE.RACE.001 is a known failure on case codex-cli:execRace');
  });

  it('an intermittent entry must pin its failure, and intermittent is a boolean (typed errors)', () => {
    expect(() => parseExpectationFile(JSON.stringify({ knownFailures: [{ rule: RULE, reason: 'r', intermittent: true }] }), 'e.json')).toThrow(/intermittent but pins no failure/);
    expect(() => file({ intermittent: 'yes' })).toThrow(/is not true or false/);
  });
});
