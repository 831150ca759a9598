import { describe, expect, it } from 'vitest';
import { groupByRule, ruleVerdict } from '../../src/harness/results.js';
import { rulesInProfile } from '../../src/rules/catalogue.js';
import type { RuleArea } from '../../src/rules/rule.js';
import { runArea, SPEC_PROFILES } from '../support/area-run.js';

/**
 * The conformance areas as `npm run mutation` runs them (stryker.vitest.config.ts; not part of
 * `npm test`, whose specs/*.spec.ts judge the same rules one test per rule): one test per area and
 * profile doing the run inside the test, so Stryker's per-test coverage sends each mutant only to
 * the area runs that execute it. A mutant is killed when any rule of a covering area does not pass.
 */
const ALL_AREAS: readonly RuleArea[] = ['HDR', 'GATE', 'URL', 'AGENT', 'CACHE', 'REFRESH'];

/** MUTATION_AREAS (comma list) narrows the areas: `npm run mutation -- <file>` runs the file's areas only (scripts/mutation/run.ts). */
function areasFrom(value: string | undefined): readonly RuleArea[] {
  if (value === undefined || value.trim() === '') return ALL_AREAS;
  const names = value.split(',').map((a) => a.trim());
  const unknown = names.filter((a) => !ALL_AREAS.includes(a as RuleArea));
  if (unknown.length > 0) throw new TypeError(`MUTATION_AREAS names unknown area(s) ${unknown.join(', ')}: use ${ALL_AREAS.join(', ')}.`);
  return names as RuleArea[];
}

const AREAS = areasFrom(process.env['MUTATION_AREAS']);

describe('conformance areas under mutation', () => {
  for (const profile of SPEC_PROFILES) {
    for (const area of AREAS) {
      it(`${area} [${profile}] every rule passes on the reference`, async () => {
        const report = await runArea(area, profile);
        const byRule = groupByRule(report.cases);
        const ids = rulesInProfile(profile).filter((r) => r.area === area).map((r) => r.id);
        const notPassing = ids.filter((id) => {
          const cases = byRule.get(id);
          return cases === undefined || ruleVerdict(cases) !== 'pass';
        });
        expect(notPassing).toEqual([]);
      }, 240_000);
    }
  }
});
