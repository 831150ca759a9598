import { RULES, ruleIdsInProfile } from '../../../rules/catalogue.js';
import type { ProfileId } from '../../../rules/profiles.js';
import { skip } from '../../../rules/result.js';
import { caseEvidence } from '../../case-evidence.js';
import type { CaseResult } from '../../results.js';
import { toCaseResults } from '../../suite.js';
import { judgeCodexCliRun, type RecordedRun } from './judge-run.js';
import { judgeScenario, replacedRules } from './judge-families.js';
import { caseApplies } from '../../codex-cli/codex-cli-scenarios.js';
import { codexBinaryScenarios, codexCliCaseView, codexCliScenarios, rulesJudgedBy, STAGING_BASE_URL, type CodexCliCase } from './case-view.js';
import { releaseFacts } from '../../codex-cli/release-facts.js';
import { storedKeyFindings } from './stored-key-finding.js';
import { SHARE_RULES } from '../../../rules/check-share.js';
import { flattenSteps } from '../../scenario/load-scenario.js';
import type { BlackboxScenario } from '../../scenario/scenario.js';

/**
 * Turns recorded black-box runs into the suite's case results: every rule of the catalogue gets
 * a verdict. Rules no case can reach are `skip` with the reason below; a rule that could have been
 * judged but was not (e.g. a case stopped before the request it applies to) is `skip` with the case
 * outcomes, so the run is reported partial, never passed.
 *
 * What the cases reach is derived, not listed: a rule is out of the default selection only when it
 * has an entry here AND no scenario of scenarios/blackbox/codex-cli/ reaches it (`reachedBy`, a
 * predicate over the data; an entry without one is a limit of the judges, which write no verdict
 * for it from any case). A new data file that reaches a rule (a 403 fault, a headers credential)
 * puts it in the selection without an edit here; a rule the judges start judging is selected by
 * removing its entry, which codex-cli-suite.test.ts checks against the judges' verdicts.
 */
export interface NotReached {
  readonly reason: string;
  /** The rule is reached when some scenario satisfies this (absent: no case can, the judges do not judge it black-box). */
  readonly reachedBy?: (s: BlackboxScenario) => boolean;
}

const hasFault = (s: BlackboxScenario, kind: string): boolean => [...(s.mock.faults ?? []), ...flattenSteps(s.steps).flatMap((x) => (x.kind === 'setFault' ? [x.fault] : []))].some((f) => f.kind === kind);
const agentBase = (s: BlackboxScenario): string | undefined => (s.mock.credentials.some((c) => c.kind === 'agentIdentity') ? (s.homes[0]?.chatgptBaseUrl?.kind === 'url' ? s.homes[0].chatgptBaseUrl.url : 'https://chatgpt.com/backend-api/') : undefined);

export const NOT_REACHED: Readonly<Record<string, NotReached>> = {
  'GATE.UPLOAD.001': { reason: 'not exercised: the only upload path is the Codex Apps tool-argument rewrite (`rewrite_mcp_tool_arguments_for_openai_files` -> `build_uploaded_argument_value` -> `upload_openai_file(config.chatgpt_base_url, ...)`, codex-rs/core, gated by `if !auth.uses_codex_backend() { return Err("ChatGPT auth is required to upload files for Codex Apps tools") }`); it runs only when the model calls an Apps tool that declares file inputs, and 0.171 hides Apps tools behind `search_tool_bm25` until the model searches, which the one-reply mock model does not do' },
  'URL.PATH.001': { reason: 'not exercised: callsites cannot be invoked one by one, so no request maps to one expected path' },
  'HDR.PAT.001': { reason: 'not judged yet: the personalAccessToken case is judged as a host-supplied Bearer (HDR.BEARER.001 per request); no verdict checks its ChatGPT-Account-ID / X-OpenAI-Fedramp against whoami' },
  'HDR.HEADERS.001': { reason: 'not exercised: no case hands the binary a header map (the scenario model has no headers credential)' },
  'GATE.BACKEND.001': { reason: 'not exercised: no case uses headers auth, and the personalAccessToken case is judged as host-supplied tokens' },
  'GATE.BEDROCK.001': { reason: 'not exercised: no case uses Bedrock auth (the scenario model has no Bedrock credential)' },
  'URL.AGENT.004': {
    reason: 'not exercised: the agent identity cases use the production and staging bases, where agent identity is accepted',
    reachedBy: (s) => {
      const base = agentBase(s);
      return base !== undefined && base !== 'https://chatgpt.com/backend-api/' && base !== STAGING_BASE_URL;
    },
  },
  'URL.AGENT.005': { reason: 'not exercised: the agent identity cases use a JWT, which PR #18811-era releases do not read' },
  'AGENT.JWT.003': { reason: 'not exercised: no case hands the binary an identity JWT at an edge its verification accepts (exp inside the 60 s leeway, claims the struct does not name, a JWKS whose first key has another kid)' },
  'CACHE.DISK.001': { reason: 'not judged yet: no case seeds a flawed Apps tools cache file into CODEX_HOME before a turn' },
  'REFRESH.PERSIST.004': { reason: 'not judged yet: the refresh cases read the rewritten auth.json\'s token and last_refresh, not its other fields against the seeded file' },
  'AGENT.TASK.006': { reason: 'not exercised: no case gives the binary an adversarial registration answer (the judge has no request boundaries to tell its calls apart)' },
  'AGENT.TASK.007': { reason: 'not judged black-box: a retry cannot be told from a new load without request boundaries, and no case fails a registration' },
  'AGENT.TASK.004': { reason: 'not judged black-box: retries cannot be told from a new load without request boundaries, and no case fails a registration' },
  'URL.ENVBASE.001': {
    reason: 'not exercised: a pr18811-era rule (0.171.0 no longer reads OPENAI_BASE_URL: with OPENAI_BASE_URL=https://codex.tenant-mock.test/v1 and no openai_base_url, 0.171.0 sent its Responses WebSocket to api.openai.com/v1, and its binary holds no deprecation message for the variable); no case sets it',
    reachedBy: (s) => s.actors.some((a) => (a.kind === 'codexExec' || a.kind === 'codexAppServer' || a.kind === 'codexTui') && a.env?.['OPENAI_BASE_URL'] !== undefined),
  },
  'GATE.USAGE.001': {
    reason: 'not exercised: only the interactive TUI reads usage (its start-up rate-limit prefetch, `requires_openai_auth && has_chatgpt_account`, codex-rs/tui/src/app.rs); `codex exec` and the app-server turn never call wham/usage, and no case runs a codexTui actor',
    reachedBy: (s) => s.actors.some((a) => a.kind === 'codexTui'),
  },
  'REFRESH.401.002': { reason: 'not exercised: no case answers the binary a 403', reachedBy: (s) => hasFault(s, 'forbiddenOnce') },
  'REFRESH.EXTERNAL.002': { reason: 'not exercised: no case uses headers or Bedrock auth, and the personalAccessToken case is judged as host-supplied tokens (REFRESH.EXTERNAL.001)' },
  ...Object.fromEntries(
    SHARE_RULES.map((id) => [
      id,
      {
        reason: 'not exercised: no shared-credential scenario (scenarios/blackbox/shared-credential/) names it in its judge; the one-process cases cannot reach it',
        reachedBy: (s: BlackboxScenario) => rulesJudgedBy(s).includes(id),
      },
    ]),
  ),
};

/** The rules no scenario reaches, with the reason (derived from NOT_REACHED and the data files). */
export function notExercised(scenarios: readonly BlackboxScenario[] = codexBinaryScenarios()): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [id, n] of Object.entries(NOT_REACHED)) if (n.reachedBy === undefined || !scenarios.some(n.reachedBy)) out[id] = n.reason;
  return out;
}

/** The rules no case of scenarios/blackbox/codex-cli/ reaches, with the reason (derived once at load). */
export const NOT_EXERCISED: Readonly<Record<string, string>> = notExercised();

/** Every rule of the catalogue, over every profile: the codex-cli suite replaces all suites for this implementation. */
export const CODEX_CLI_SUITE_RULES: readonly string[] = RULES.filter((r) => r.withdrawn === undefined).map((r) => r.id);

/** The rules of one profile the codex-cli suite reports on. */
export function codexCliRules(profile: ProfileId): readonly string[] {
  return ruleIdsInProfile(profile);
}

/** Rules the black-box cases can judge under a profile (the default selection for `--impl codex-cli`). */
export function codexCliExercisedRules(profile: ProfileId, scenarios: readonly BlackboxScenario[] = codexBinaryScenarios()): readonly string[] {
  const unreached = notExercised(scenarios);
  return codexCliRules(profile).filter((id) => unreached[id] === undefined);
}

export interface JudgedRecording {
  readonly run: RecordedRun;
  readonly durationMs: number;
}

export const CASE_PREFIX = 'codex-cli:';

/** The view of a codex-cli case id (undefined for a recorded fixture no data file backs). */
function caseViewOf(id: string): CodexCliCase | undefined {
  const s = codexCliScenarios().find((x) => x.id === id);
  return s === undefined ? undefined : codexCliCaseView(s);
}

export function codexCliCaseResults(recordings: readonly JudgedRecording[], profile: ProfileId, rules: readonly string[] = codexCliRules(profile), version = '0.171.0'): CaseResult[] {
  const suite = { rules };
  const out: CaseResult[] = [];
  for (const r of recordings) {
    const caseId = `${CASE_PREFIX}${r.run.expectation.caseId}`;
    const replaced = new Set(replacedRules(r.run.expectation.caseId));
    const release = r.run.release ?? version;
    const judged = [...judgeCodexCliRun(r.run, profile).filter((x) => !replaced.has(x.ruleId)), ...judgeScenario(r.run, release, profile)];
    const view = caseViewOf(r.run.expectation.caseId);
    const results = (view === undefined ? judged : storedKeyFindings(judged, view, releaseFacts(release))).map((x) => ({ ...x, caseId }));
    // A failure carries the case's journal (redacted; the requests its message names first) for the HTML report.
    out.push(...toCaseResults(suite, caseId, results, r.durationMs).map((c) => (c.verdict === 'fail' || c.verdict === 'error' ? { ...c, evidence: caseEvidence(r.run.entries, undefined, c.message) } : c)));
  }
  const reached = new Set(out.map((c) => c.ruleId));
  const notRun = codexCliScenarios().map((c) => [c.id, caseApplies(c, version)] as const).filter(([, why]) => why !== undefined);
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
