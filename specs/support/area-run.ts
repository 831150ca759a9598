import { expect, it } from 'vitest';
import { inProcessMockControl } from '../../src/harness/in-process-mock-control.js';
import { groupByRule, ruleVerdict, type CaseResult, type RunReport } from '../../src/harness/results.js';
import { runConformance } from '../../src/harness/runner.js';
import { selectImplementation } from '../../src/harness/select-implementation.js';
import { ALL_SUITES } from '../../src/harness/suites/index.js';
import { RULES } from '../../src/rules/catalogue.js';
import type { RuleArea } from '../../src/rules/rule.js';

/**
 * The conformance suite as vitest sees it: one run per area against the implementation the run
 * selects (env CONFORMANCE_IMPL, default `reference`; CONFORMANCE_SEED, CONFORMANCE_RUNS), then
 * one test per rule, titled by its id, that fails with the counterexample and replay command.
 */
export const SPEC_IMPL = process.env['CONFORMANCE_IMPL'] ?? 'reference';
export const SPEC_SEED = Number(process.env['CONFORMANCE_SEED'] ?? 20261128);
export const SPEC_RUNS = Number(process.env['CONFORMANCE_RUNS'] ?? 60);

export async function runArea(area: RuleArea): Promise<RunReport> {
  const implementation = await selectImplementation(SPEC_IMPL);
  const mock = await inProcessMockControl(SPEC_SEED);
  try {
    return await runConformance({ implementation, mock, suites: ALL_SUITES, rulePrefixes: [area], seed: SPEC_SEED, runs: SPEC_RUNS, implArg: SPEC_IMPL });
  } finally {
    await mock.close();
  }
}

function explain(cases: readonly CaseResult[]): string {
  return cases
    .filter((c) => c.verdict !== 'pass')
    .map((c) => [c.message, c.counterexample && `counterexample: ${c.counterexample}`, c.replay && `replay: ${c.replay.command}`].filter(Boolean).join('\n  '))
    .join('\n');
}

/** Declares one test per rule of the area; `report` is filled by a beforeAll of the caller. */
export function rulesOfArea(area: RuleArea, report: () => RunReport): void {
  for (const rule of RULES.filter((r) => r.area === area)) {
    it(`${rule.id} ${rule.title}`, () => {
      const cases = groupByRule(report().cases).get(rule.id);
      expect(cases, `${rule.id} was not reached by any suite`).toBeDefined();
      const verdict = ruleVerdict(cases!);
      expect(verdict, `${rule.id} ${verdict} on ${SPEC_IMPL} (seed ${SPEC_SEED}):\n  ${explain(cases!)}`).toBe('pass');
    });
  }
}
