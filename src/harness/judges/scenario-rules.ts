import { skip, type RuleResult } from '../../rules/result.js';
import type { ProfileId } from '../../rules/profiles.js';
import type { ScenarioRun } from '../scenario/recording.js';
import type { BlackboxScenario } from '../scenario/scenario.js';

/**
 * The judge of scenarios whose data file says `"judge": {"kind": "rules", "rules": [...]}` (the
 * shared-credential scenarios): each named rule is judged by a pure checker over the scenario's
 * run (the journal, every step's journal span, and the auth.json each actor left: fingerprints,
 * mode, inode). A checker is registered here by rule id; a named rule without one is `skip` with
 * that reason, so the run is reported partial, never passed.
 */
export interface ScenarioRuleContext {
  readonly release: string;
  readonly profile: ProfileId;
}

export type ScenarioRuleChecker = (run: ScenarioRun, ctx: ScenarioRuleContext) => readonly RuleResult[];

/** Checkers by rule id (the SHARE rules' checkers in src/rules/ are registered here). */
export const SCENARIO_RULE_CHECKERS: Readonly<Record<string, ScenarioRuleChecker>> = {};

export function judgeScenarioRules(s: BlackboxScenario, run: ScenarioRun, ctx: ScenarioRuleContext, checkers: Readonly<Record<string, ScenarioRuleChecker>> = SCENARIO_RULE_CHECKERS): RuleResult[] {
  if (s.judge.kind !== 'rules') return [];
  return s.judge.rules.flatMap((id) => {
    const check = checkers[id];
    if (check === undefined) return [skip(id, `${id} not judged: no checker is registered for it (src/harness/judges/scenario-rules.ts)`, run.caseId)];
    return check(run, ctx).map((r) => ({ ...r, caseId: r.caseId ?? run.caseId }));
  });
}
