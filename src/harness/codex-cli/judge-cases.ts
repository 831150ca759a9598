import { RULES } from '../../rules/catalogue.js';
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
};
/** Every rule of the catalogue: the codex-cli suite replaces all suites for this implementation. */
export const CODEX_CLI_RULES: readonly string[] = RULES.map((r) => r.id);

/** Rules the black-box cases can judge (the default selection for `--impl codex-cli`). */
export const CODEX_CLI_EXERCISED_RULES: readonly string[] = CODEX_CLI_RULES.filter((id) => NOT_EXERCISED[id] === undefined);

export interface JudgedRecording {
  readonly run: RecordedRun;
  readonly durationMs: number;
}

export const CASE_PREFIX = 'codex-cli:';

export function codexCliCaseResults(recordings: readonly JudgedRecording[], rules: readonly string[] = CODEX_CLI_RULES, version = '0.171.0'): CaseResult[] {
  const suite = { rules };
  const out: CaseResult[] = [];
  for (const r of recordings) {
    const caseId = `${CASE_PREFIX}${r.run.expectation.caseId}`;
    const replaced = new Set(replacedRules(r.run.expectation.caseId));
    const results = [...judgeCodexCliRun(r.run).filter((x) => !replaced.has(x.ruleId)), ...judgeScenario(r.run, version)].map((x) => ({ ...x, caseId }));
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
