import { inProfile } from '../../rules/catalogue.js';
import { judgeShareScenario, SHARE_RULES } from '../../rules/check-share.js';
import { skip, type RuleResult } from '../../rules/result.js';
import type { ProfileId } from '../../rules/profiles.js';
import type { ScenarioRun } from '../scenario/recording.js';
import type { BlackboxScenario } from '../scenario/scenario.js';
import type { ShareRecording } from '../scenario/share-recording.js';
import { asFinding } from './release-findings.js';

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

/** A played scenario as the checkers read it (`share`: the SHARE checkers' view, in memory only). */
export type JudgedRun = ScenarioRun & { readonly share?: ShareRecording };

export type ScenarioRuleChecker = (run: JudgedRun, ctx: ScenarioRuleContext) => readonly RuleResult[];

/** One SHARE rule judged by `judgeShareScenario` (src/rules/check-share.ts) over the runner's share recording. */
function shareChecker(id: string): ScenarioRuleChecker {
  return (run, ctx) => {
    if (!inProfile(ctx.profile, id)) return [skip(id, `${id} not judged: not a rule of profile ${ctx.profile}`, run.caseId)];
    if (run.share === undefined) return [skip(id, `${id} not judged: the run carries no share recording (played by a runner other than run-scenario.ts)`, run.caseId)];
    if (run.share.problems.length > 0) return [skip(id, `${id} not judged: ${run.share.problems.join('; ')}`, run.caseId)];
    const results = judgeShareScenario({ profile: ctx.profile, caseId: run.caseId, journal: run.entries, issued: run.share.issued, steps: run.share.steps, rules: [id] });
    return results.length > 0 ? results.map((r) => asFinding(r, ctx.release)) : [skip(id, `${id} not judged: no step of this play reached the situation the rule is about (${run.share.steps.map((s) => `${s.label}: ${s.toSeq - s.fromSeq} request(s)`).join('; ')})`, run.caseId)];
  };
}

/** Checkers by rule id: the SHARE rules' checkers of src/rules/check-share.ts. */
export const SCENARIO_RULE_CHECKERS: Readonly<Record<string, ScenarioRuleChecker>> = Object.fromEntries(SHARE_RULES.map((id) => [id, shareChecker(id)]));

export function judgeScenarioRules(s: BlackboxScenario, run: JudgedRun, ctx: ScenarioRuleContext, checkers: Readonly<Record<string, ScenarioRuleChecker>> = SCENARIO_RULE_CHECKERS): RuleResult[] {
  if (s.judge.kind !== 'rules') return [];
  return s.judge.rules.flatMap((id) => {
    const check = checkers[id];
    if (check === undefined) return [skip(id, `${id} not judged: no checker is registered for it (src/harness/judges/scenario-rules.ts)`, run.caseId)];
    return check(run, ctx).map((r) => ({ ...r, caseId: r.caseId ?? run.caseId }));
  });
}
