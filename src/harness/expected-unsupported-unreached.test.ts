import { describe, expect, it } from 'vitest';
import { parseExpectationFile } from './expectation-file.js';
import { inProcessMockControl } from './in-process-mock-control.js';
import { referenceImplementation } from './reference-implementation.js';
import { runConformance } from './runner.js';
import type { Suite } from './suite.js';

const REACHED = 'HDR.ACCOUNT.001';
const NEVER = 'URL.ROUTING.001';

/** A suite that judges one rule and never reaches the other (as a journal rule whose request never comes). */
const oneOfTwo: Suite = {
  id: 'oneoftwo',
  title: 'one rule reached, one never',
  rules: [REACHED, NEVER],
  async run() {
    return [{ type: 'case', ruleId: REACHED, caseId: 'c1', verdict: 'pass', message: 'sent', durationMs: 0 }];
  },
};

const run = async (file: object | undefined) => {
  const mock = await inProcessMockControl();
  try {
    return await runConformance({
      implementation: referenceImplementation(),
      mock,
      suites: [oneOfTwo],
      rulePrefixes: [REACHED, NEVER],
      seed: 1,
      runs: 1,
      ...(file === undefined ? {} : { expectations: parseExpectationFile(JSON.stringify(file), 'e.json') }),
    });
  } finally {
    await mock.close();
  }
};

describe('a rule no case reached, listed as unsupported in the expectation file', () => {
  it(`${NEVER}: not reached and not listed leaves the run not OK`, async () => {
    const report = await run(undefined);
    expect(report.footer.rulesNotReached).toEqual([NEVER]);
    expect(report.footer.ok).toBe(false);
  });

  it(`${NEVER}: not reached and listed as unsupported is unsupported with the file's reason, and the run is OK`, async () => {
    const report = await run({ knownFailures: [], unsupported: [{ rule: NEVER, reason: 'the driver never sends the routing discovery request' }] });
    const result = report.cases.find((c) => c.ruleId === NEVER);
    expect(result?.verdict).toBe('unsupported');
    expect(result?.message).toContain('the driver never sends the routing discovery request');
    expect(report.footer.rulesNotReached).toEqual([]);
    expect(report.footer.ok).toBe(true);
  });

  it(`${REACHED}: a listed rule that a case did judge is still an error (remove it from "unsupported")`, async () => {
    const report = await run({ knownFailures: [], unsupported: [{ rule: REACHED, reason: 'wrongly listed' }] });
    expect(report.cases.some((c) => c.ruleId === REACHED && c.verdict === 'error' && /remove it from "unsupported"/.test(c.message))).toBe(true);
    expect(report.footer.ok).toBe(false);
  });
});
