import { ConformanceInputError } from '../../../errors.js';
import type { CoexistenceResult } from './coexistence-result.js';
import { COEXISTENCE_CHECKS, type CoexistenceCheck, type CoexistenceVerdictKind } from './judge-coexistence.js';

/**
 * What a client is recorded to do beside Codex: the `coexistence` list of its expectation file
 * (expectations/ecosystem/<client>.json), one entry per scenario and check, each with the verdict
 * the real client gave and its evidence. `run --impl ecosystem` exits 0 only when every verdict of
 * the run is the recorded one and every recorded one ran (a run limited by --scenarios excepted).
 */
export interface CoexistenceExpectation {
  readonly scenario: string;
  readonly check: CoexistenceCheck;
  readonly verdict: CoexistenceVerdictKind;
  /** The evidence of the recorded run (reports show it beside a failure). */
  readonly evidence?: string;
  /** A race decides the verdict (a poll landing inside an in-place write): pass or the recorded verdict are both as recorded. */
  readonly intermittent?: boolean;
}

export function parseCoexistenceExpectations(data: unknown, source: string): CoexistenceExpectation[] {
  const list = (data as { coexistence?: unknown } | null)?.coexistence;
  if (list === undefined) return [];
  const fix = 'write "coexistence": [{"scenario": "<client>-clientFirst", "check": "codexStillWorks", "verdict": "pass", "evidence": "..."}].';
  if (!Array.isArray(list)) throw new ConformanceInputError('BAD_SCENARIO', `${source}: "coexistence" is not an array.`, fix);
  const out = list.map((item: unknown, i: number): CoexistenceExpectation => {
    const { scenario, check, verdict, evidence, intermittent } = (item ?? {}) as Record<string, unknown>;
    if (typeof scenario !== 'string' || scenario === '') throw new ConformanceInputError('BAD_SCENARIO', `${source}: coexistence[${i}].scenario is missing.`, fix);
    if (!COEXISTENCE_CHECKS.includes(check as CoexistenceCheck)) throw new ConformanceInputError('BAD_SCENARIO', `${source}: coexistence[${i}].check ${JSON.stringify(check)} is not one of ${COEXISTENCE_CHECKS.join(', ')}.`, fix);
    if (verdict !== 'pass' && verdict !== 'fail' && verdict !== 'notExercised') throw new ConformanceInputError('BAD_SCENARIO', `${source}: coexistence[${i}].verdict ${JSON.stringify(verdict)} is not pass, fail or notExercised.`, fix);
    if (evidence !== undefined && typeof evidence !== 'string') throw new ConformanceInputError('BAD_SCENARIO', `${source}: coexistence[${i}].evidence is not a string.`, fix);
    if (intermittent !== undefined && typeof intermittent !== 'boolean') throw new ConformanceInputError('BAD_SCENARIO', `${source}: coexistence[${i}].intermittent is not true or false.`, 'write "intermittent": true for a verdict a race decides, or drop the key.');
    return { scenario, check: check as CoexistenceCheck, verdict, ...(evidence === undefined ? {} : { evidence }), ...(intermittent === true ? { intermittent: true } : {}) };
  });
  const twice = out.map((e) => `${e.scenario}/${e.check}`).find((k, i, all) => all.indexOf(k) !== i);
  if (twice !== undefined) throw new ConformanceInputError('BAD_SCENARIO', `${source}: coexistence lists ${twice} twice.`, 'record each scenario and check once.');
  return out;
}

export interface CoexistenceCheckResult {
  readonly ok: boolean;
  /** Every way the run differs from the record (empty when ok). */
  readonly problems: readonly string[];
}

/**
 * Compares a client's coexistence results with its record. `notRun`: the run did not select the
 * coexistence scenarios (then nothing is compared). Without any record a played scenario is a
 * problem: the outcome must be recorded to be accepted.
 */
export function checkCoexistence(results: readonly CoexistenceResult[] | undefined, recorded: readonly CoexistenceExpectation[], notRun: boolean): CoexistenceCheckResult {
  if (notRun || results === undefined) return { ok: true, problems: [] };
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const r of results) {
    for (const v of r.verdicts) {
      const key = `${v.scenario}/${v.check}`;
      seen.add(key);
      const e = recorded.find((x) => x.scenario === v.scenario && x.check === v.check);
      if (e === undefined) problems.push(`${key}: ${v.verdict} is not recorded (${v.evidence})`);
      else if (e.verdict !== v.verdict && !(e.intermittent === true && v.verdict === 'pass')) problems.push(`${key}: recorded ${e.verdict}${e.intermittent === true ? ' (intermittent)' : ''}, got ${v.verdict} (${v.evidence})`);
    }
  }
  for (const e of recorded) if (!seen.has(`${e.scenario}/${e.check}`)) problems.push(`${e.scenario}/${e.check}: recorded ${e.verdict} but not run`);
  return { ok: problems.length === 0, problems };
}

/** A secret-free progress line per played scenario. */
export function coexistenceProgressLine(r: CoexistenceResult): string {
  const fails = r.verdicts.filter((v) => v.verdict === 'fail').map((v) => v.check);
  return `… coexist-${r.recording.scenarioId}: ${r.verdicts.map((v) => `${v.check} ${v.verdict}`).join(', ')}${fails.length > 0 ? `; fail ${fails.join(', ')}` : ''} (${r.recording.durationMs} ms)`;
}
