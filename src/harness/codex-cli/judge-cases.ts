import { RULES, ruleIdsInProfile } from '../../rules/catalogue.js';
import type { ProfileId } from '../../rules/profiles.js';
import { skip } from '../../rules/result.js';
import type { CaseResult } from '../results.js';
import { toCaseResults } from '../suite.js';
import { judgeCodexCliRun, type RecordedRun } from './judge-codex-cli-run.js';
import { judgeScenario, replacedRules } from './judge-scenarios.js';
import { CODEX_CLI_CASES } from './codex-cli-cases.js';
import { caseApplies } from './record-cases.js';

/**
 * Turns recorded black-box runs into the suite's case results: every rule of the catalogue gets
 * a verdict. Rules the binary's non-interactive flow cannot exercise are `skip` with the reason
 * below; a rule that could have been judged but was not (e.g. a case stopped before the request
 * it applies to) is `skip` with the case outcomes, so the run is reported partial, never passed.
 */
export const NOT_EXERCISED: Readonly<Record<string, string>> = {
  'GATE.UPLOAD.001': 'not exercised: the only upload path is the Codex Apps tool-argument rewrite (`rewrite_mcp_tool_arguments_for_openai_files` -> `build_uploaded_argument_value` -> `upload_openai_file(config.chatgpt_base_url, ...)`, codex-rs/core, gated by `if !auth.uses_codex_backend() { return Err("ChatGPT auth is required to upload files for Codex Apps tools") }`); it runs only when the model calls an Apps tool that declares file inputs, and 0.171 hides Apps tools behind `search_tool_bm25` until the model searches, which the one-reply mock model does not do',
  'URL.PATH.001': 'not exercised: callsites cannot be invoked one by one, so no request maps to one expected path',
  'HDR.PAT.001': 'not judged yet: the personalAccessToken case is judged as a host-supplied Bearer (HDR.BEARER.001 per request); no verdict checks its ChatGPT-Account-ID / X-OpenAI-Fedramp against whoami',
  'HDR.HEADERS.001': 'not exercised: no case hands the binary a header map',
  'GATE.BACKEND.001': 'not exercised: no case uses headers auth, and the personalAccessToken case is judged as host-supplied tokens',
  'GATE.BEDROCK.001': 'not exercised: no case uses Bedrock auth',
  'URL.AGENT.004': 'not exercised: the agent identity cases use the production and staging bases, where agent identity is accepted',
  'URL.AGENT.005': 'not exercised: the agent identity cases use a JWT, which PR #18811-era releases do not read',
  'AGENT.TASK.004': 'not judged black-box: retries cannot be told from a new load without request boundaries, and no case fails a registration',
  'REFRESH.REQUEST.001': 'not judged yet: the refresh cases\' token requests are verified by the mock (it answers them), but no verdict is written on their body',
  'REFRESH.REQUEST.002': 'not judged yet: the refresh cases\' token requests are verified by the mock (it answers them), but no verdict is written on their body',
  'REFRESH.REQUEST.003': 'not judged yet: the refresh cases\' token requests are verified by the mock (it answers them), but no verdict is written on their encoding',
  'REFRESH.401.002': 'not exercised: no case answers the binary a 403',
  'URL.ENVBASE.001': 'not exercised: a pr18811-era rule (0.171.0 no longer reads OPENAI_BASE_URL: with OPENAI_BASE_URL=https://codex.tenant-mock.test/v1 and no openai_base_url, 0.171.0 sent its Responses WebSocket to api.openai.com/v1, and its binary holds no deprecation message for the variable); no case sets it for the pr18811 releases',
  'GATE.USAGE.001': 'not exercised: only the interactive TUI polls usage (`should_prefetch_rate_limits`, codex-rs/tui/src/chatwidget.rs); `codex exec` and the app-server turn never call wham/usage',
  'REFRESH.EXTERNAL.002': 'not exercised: no case uses headers or Bedrock auth, and the personalAccessToken case is judged as host-supplied tokens (REFRESH.EXTERNAL.001)',
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

export function codexCliCaseResults(recordings: readonly JudgedRecording[], profile: ProfileId, rules: readonly string[] = codexCliRules(profile), version = '0.171.0'): CaseResult[] {
  const suite = { rules };
  const out: CaseResult[] = [];
  for (const r of recordings) {
    const caseId = `${CASE_PREFIX}${r.run.expectation.caseId}`;
    const replaced = new Set(replacedRules(r.run.expectation.caseId));
    const release = r.run.release ?? version;
    const results = [...judgeCodexCliRun(r.run, profile).filter((x) => !replaced.has(x.ruleId)), ...judgeScenario(r.run, release, profile)].map((x) => ({ ...x, caseId }));
    out.push(...toCaseResults(suite, caseId, results, r.durationMs));
  }
  const reached = new Set(out.map((c) => c.ruleId));
  const notRun = CODEX_CLI_CASES.map((c) => [c.id, caseApplies(c, version)] as const).filter(([, why]) => why !== undefined);
  const outcomes = [
    ...recordings.map((r) => `${r.run.expectation.caseId}: ${r.run.outcome.description.slice(0, 160)}`),
    ...(notRun.length === 0 ? [] : [`not run on ${version}: ${notRun.map(([id]) => id).join(', ')} (${notRun[0]![1]})`]),
  ].join('; ');
  for (const id of rules) {
    if (reached.has(id)) continue;
    const reason = NOT_EXERCISED[id] ?? `not judged: no recorded request this rule applies to (${outcomes || 'no case ran'})`;
    const s = skip(id, `${id} ${reason}`, 'codex-cli');
    out.push({ type: 'case', ruleId: s.ruleId, caseId: 'codex-cli', verdict: 'skip', message: s.message, durationMs: 0 });
  }
  return out;
}
