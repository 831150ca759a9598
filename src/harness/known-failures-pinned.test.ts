import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fail, pass } from '../rules/result.js';
import { parseExpectationFile } from './expectation-file.js';
import { inProcessMockControl } from './in-process-mock-control.js';
import { runProperty } from './property.js';
import { referenceImplementation } from './reference-implementation.js';
import { groupByRule, ruleVerdict } from './results.js';
import { runConformance } from './runner.js';
import type { Suite } from './suite.js';

const RULE = 'HDR.ACCOUNT.001';

/**
 * An implementation with two bugs in one rule: it drops ChatGPT-Account-ID on the task list
 * (every even input, the first example included) and on the usage request (odd inputs above 20,
 * reached only by generated cases). A property that stopped at the first failure of the rule
 * would never see the second.
 */
const twoBugs: Suite = {
  id: 'twobugs',
  title: 'two bugs in one rule',
  rules: [RULE],
  run(ctx) {
    return runProperty(this, ctx, {
      arbitrary: () => fc.integer({ min: 0, max: 60 }),
      examples: [2, 1],
      show: (n) => `input ${n}`,
      async execute(n, caseId) {
        if (n % 2 === 0) return [fail(RULE, 'chatgpt-account-id on GET http://127.0.0.1:1234/backend-api/wham/tasks/list', '"acc"', '(absent)', caseId)];
        if (n > 20) return [fail(RULE, 'chatgpt-account-id on GET http://127.0.0.1:1234/backend-api/wham/usage', '"acc"', '(absent)', caseId)];
        return [pass(RULE, 'sent', caseId)];
      },
    });
  },
};

const expectation = (failures: unknown) =>
  parseExpectationFile(JSON.stringify({ knownFailures: [{ rule: RULE, reason: 'drops the account id on the task list', ...(failures === undefined ? {} : { failures }) }] }), 'e.json');

describe('known failures pinned to their evidence (issue 20 item 5)', () => {
  const run = async (failures: unknown) => {
    const mock = await inProcessMockControl();
    try {
      return await runConformance({ implementation: referenceImplementation(), mock, suites: [twoBugs], rulePrefixes: [RULE], seed: 7, runs: 60, expectations: expectation(failures) });
    } finally {
      await mock.close();
    }
  };

  it(`${RULE}: a second failure of a listed rule with other evidence is reported as new, the run is not OK`, async () => {
    const report = await run([{ request: 'GET /backend-api/wham/tasks/list', field: 'chatgpt-account-id' }]);
    const fails = report.cases.filter((c) => c.verdict === 'fail');
    expect(fails.filter((c) => c.expectedFailure !== undefined).map((c) => c.message)).toEqual([expect.stringContaining('/wham/tasks/list')]);
    const fresh = fails.filter((c) => c.expectedFailure === undefined);
    expect(fresh.map((c) => c.message)).toEqual([expect.stringMatching(/\/wham\/usage.*\[new: HDR\.ACCOUNT\.001 is a known failure on GET \/backend-api\/wham\/tasks\/list/)]);
    expect(fresh[0]?.replay?.command).toMatch(/--rules HDR\.ACCOUNT\.001 --seed 7 --path /);
    expect(report.footer.ok).toBe(false);
  });

  it(`${RULE}: with both failures pinned the run is OK, and the known one carries its case`, async () => {
    const report = await run([{ request: 'GET /backend-api/wham/tasks/list' }, { request: 'GET /backend-api/wham/usage' }]);
    expect(report.cases.filter((c) => c.verdict === 'fail').every((c) => c.expectedFailure !== undefined && c.counterexample !== undefined)).toBe(true);
    expect(ruleVerdict(groupByRule(report.cases).get(RULE) ?? [])).toBe('fail');
    expect(report.footer.ok).toBe(true);
  });

  it(`${RULE}: an unpinned (rule-only) entry still loads, with a warning, and accepts any failure of the rule`, async () => {
    expect(expectation(undefined).warnings).toEqual([expect.stringMatching(/1 known failure\(s\) not pinned .*HDR\.ACCOUNT\.001/)]);
    expect(expectation([{ field: 'chatgpt-account-id' }]).warnings).toBeUndefined();
    const report = await run(undefined);
    expect(report.footer.ok).toBe(true);
  });
});
