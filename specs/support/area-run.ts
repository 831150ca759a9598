import { beforeAll, describe, expect, it } from 'vitest';
import { inProcessMockControl } from '../../src/harness/in-process-mock-control.js';
import { portMockControl } from '../../src/harness/port-mock-control.js';
import { groupByRule, ruleVerdict, type CaseResult, type RunReport } from '../../src/harness/results.js';
import { runConformance } from '../../src/harness/runner.js';
import { isInProcessImplementation, selectImplementation } from '../../src/harness/select-implementation.js';
import { ALL_SUITES } from '../../src/harness/suites/index.js';
import { rulesInProfile } from '../../src/rules/catalogue.js';
import { PROFILE_IDS, profileById, type ProfileId } from '../../src/rules/profiles.js';
import type { RuleArea } from '../../src/rules/rule.js';

/**
 * The conformance suite as vitest sees it: one run per area and contract profile against the
 * implementation the run selects (env CONFORMANCE_IMPL, default `reference`, behaving as that
 * profile; CONFORMANCE_SEED, CONFORMANCE_RUNS), then one test per rule of the profile, titled by
 * its id and the profile, that fails with the counterexample and replay command.
 * CONFORMANCE_PROFILE selects the profiles (`pr18811`, `codex-0.171`, or a comma list; default both).
 */
export const SPEC_IMPL = process.env['CONFORMANCE_IMPL'] ?? 'reference';
export const SPEC_SEED = Number(process.env['CONFORMANCE_SEED'] ?? 20261128);
export const SPEC_RUNS = Number(process.env['CONFORMANCE_RUNS'] ?? 60);

/** The profiles a spec run judges: CONFORMANCE_PROFILE (validated, typed error on a bad name), else every profile. */
export function specProfiles(value: string | undefined = process.env['CONFORMANCE_PROFILE']): readonly ProfileId[] {
  if (value === undefined || value.trim() === '') return PROFILE_IDS;
  return [...new Set(value.split(',').map((p) => profileById(p.trim()).id))];
}

export const SPEC_PROFILES = specProfiles();

export async function runArea(area: RuleArea, profile: ProfileId): Promise<RunReport> {
  const implementation = await selectImplementation(SPEC_IMPL, { profile });
  const mock = isInProcessImplementation(SPEC_IMPL) ? await inProcessMockControl(SPEC_SEED) : await portMockControl({ seed: SPEC_SEED });
  try {
    return await runConformance({ implementation, mock, suites: ALL_SUITES, rulePrefixes: [area], profile, seed: SPEC_SEED, runs: SPEC_RUNS, implArg: SPEC_IMPL });
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

/** Declares one test per rule of the area in the profile; `report` is filled by a beforeAll of the caller. */
export function rulesOfArea(area: RuleArea, profile: ProfileId, report: () => RunReport): void {
  it(`the ${area} run judged profile ${profile} and selected exactly its ${area} rules`, () => {
    expect(report().header.profile).toBe(profile);
    expect([...report().header.rulesSelected].sort()).toEqual(rulesInProfile(profile).filter((r) => r.area === area).map((r) => r.id).sort());
    expect(report().cases.length).toBeGreaterThan(0);
  });
  for (const rule of rulesInProfile(profile).filter((r) => r.area === area)) {
    it(`${rule.id} [${profile}] ${rule.title}`, () => {
      const cases = groupByRule(report().cases).get(rule.id);
      expect(cases, `${rule.id} was not reached by any suite under ${profile}`).toBeDefined();
      const verdict = ruleVerdict(cases!);
      expect(verdict, `${rule.id} ${verdict} on ${SPEC_IMPL} under ${profile} (seed ${SPEC_SEED}):\n  ${explain(cases!)}`).toBe('pass');
    });
  }
}

/** One describe block per selected profile: a run of the area under it, then one test per rule. */
export function describeArea(area: RuleArea, title: string): void {
  for (const profile of SPEC_PROFILES) {
    describe(`${area} [${profile}]: ${title}`, () => {
      let report: RunReport;
      beforeAll(async () => {
        report = await runArea(area, profile);
      }, 240_000);
      rulesOfArea(area, profile, () => report);
    });
  }
}
