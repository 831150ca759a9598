import { RULES, ruleIdsInProfile } from '../../rules/catalogue.js';
import type { ProfileId } from '../../rules/profiles.js';
import { skip } from '../../rules/result.js';
import type { CaseResult } from '../results.js';
import { toCaseResults } from '../suite.js';
import { judgeCodexCliRun, type RecordedRun } from './judge-codex-cli-run.js';

/**
 * Turns recorded black-box runs into the suite's case results: every rule of the catalogue gets
 * a verdict. Rules the binary's non-interactive flow cannot exercise are `skip` with the reason
 * below; a rule that could have been judged but was not (e.g. a case stopped before the request
 * it applies to) is `skip` with the case outcomes, so the run is reported partial, never passed.
 */
export const NOT_EXERCISED: Readonly<Record<string, string>> = {
  'GATE.UPLOAD.001': 'not exercised by the binary\'s non-interactive flow: a one-turn `exec` uploads no file',
  'HDR.APPS.003': 'not exercised: every case keeps the production base, so Codex Apps is always on the trusted origin',
  'HDR.PAT.001': 'not exercised: no case logs in with a personal access token',
  'HDR.HEADERS.001': 'not exercised: no case hands the binary a header map',
  'GATE.BACKEND.001': 'not exercised: no case uses personalAccessToken or headers auth',
  'GATE.BEDROCK.001': 'not exercised: no case uses Bedrock auth',
  'URL.AGENT.004': 'not exercised: every case keeps the production base, where agent identity is accepted',
  'URL.AGENT.005': 'not exercised: the agent identity cases use a JWT, which PR #18811-era releases do not read',
  'AGENT.TASK.004': 'not judged black-box: retries cannot be told from a new load without request boundaries, and no case fails a registration',
  'REFRESH.REQUEST.002': 'not exercised by the binary\'s non-interactive flow: fresh tokens, no refresh',
  'REFRESH.REQUEST.003': 'not exercised by the binary\'s non-interactive flow: fresh tokens, no refresh',
  'REFRESH.PROACTIVE.002': 'not exercised by the binary\'s non-interactive flow: fresh tokens, no refresh',
  'REFRESH.401.002': 'not exercised by the binary\'s non-interactive flow: the mock answers no 403',
  'REFRESH.401.003': 'not exercised by the binary\'s non-interactive flow: the mock answers no 401',
  'REFRESH.PERSIST.003': 'not exercised by the binary\'s non-interactive flow: no refresh happens',
  'REFRESH.ERROR.003': 'not exercised by the binary\'s non-interactive flow: no refresh happens',
  'REFRESH.EXTERNAL.002': 'not exercised: no case uses personalAccessToken, headers or Bedrock auth',
  'CACHE.KEY.001': 'not exercised by the binary\'s non-interactive flow: the apps tools cache key is internal (no introspection)',
  'CACHE.KEY.002': 'not exercised by the binary\'s non-interactive flow: the apps tools cache key is internal (no introspection)',
  'CACHE.SWITCH.001': 'not exercised by the binary\'s non-interactive flow: one process, one identity; no auth switch',
  'CACHE.SWITCH.002': 'not exercised by the binary\'s non-interactive flow: no auth switch between runs sharing a disk cache',
  'URL.PATH.001': 'not exercised by the binary\'s non-interactive flow: callsites cannot be invoked one by one, so no request maps to one expected path',
  'URL.BASE.003': 'not exercised: every case keeps the production base URL (impersonated by the namespace); agent identity and workspace routing refuse other bases',
  'REFRESH.REQUEST.001': 'not exercised by the binary\'s non-interactive flow: fresh tokens, no refresh',
  'REFRESH.PROACTIVE.001': 'not exercised by the binary\'s non-interactive flow: fresh tokens, no refresh',
  'REFRESH.TOKEN.001': 'not exercised by the binary\'s non-interactive flow: no refresh happens',
  'REFRESH.PERSIST.001': 'not exercised by the binary\'s non-interactive flow: no refresh happens',
  'REFRESH.ERROR.001': 'not exercised by the binary\'s non-interactive flow: no refresh happens',
  'REFRESH.ERROR.002': 'not exercised by the binary\'s non-interactive flow: no refresh happens',
};

/** Every rule of the catalogue, over every profile: the codex-cli suite replaces all suites for this implementation. */
export const CODEX_CLI_SUITE_RULES: readonly string[] = RULES.filter((r) => r.withdrawn === undefined).map((r) => r.id);

/** The rules of one profile the codex-cli suite reports on. */
export function codexCliRules(profile: ProfileId): readonly string[] {
  return ruleIdsInProfile(profile);
}

/** Rules the black-box cases can judge under a profile (the default selection for `--impl codex-cli`). */
export function codexCliExercisedRules(profile: ProfileId): readonly string[] {
  return codexCliRules(profile).filter((id) => NOT_EXERCISED[id] === undefined);
}

export interface JudgedRecording {
  readonly run: RecordedRun;
  readonly durationMs: number;
}

export const CASE_PREFIX = 'codex-cli:';

export function codexCliCaseResults(recordings: readonly JudgedRecording[], profile: ProfileId, rules: readonly string[] = codexCliRules(profile)): CaseResult[] {
  const suite = { rules };
  const out: CaseResult[] = [];
  for (const r of recordings) {
    const caseId = `${CASE_PREFIX}${r.run.expectation.caseId}`;
    const results = judgeCodexCliRun(r.run, profile).map((x) => ({ ...x, caseId }));
    out.push(...toCaseResults(suite, caseId, results, r.durationMs));
  }
  const reached = new Set(out.map((c) => c.ruleId));
  const outcomes = recordings.map((r) => `${r.run.expectation.caseId}: ${r.run.outcome.description.slice(0, 160)}`).join('; ');
  for (const id of rules) {
    if (reached.has(id)) continue;
    const reason = NOT_EXERCISED[id] ?? `not judged: no recorded request this rule applies to (${outcomes || 'no case ran'})`;
    const s = skip(id, `${id} ${reason}`, 'codex-cli');
    out.push({ type: 'case', ruleId: s.ruleId, caseId: 'codex-cli', verdict: 'skip', message: s.message, durationMs: 0 });
  }
  return out;
}
