/**
 * Which rules `check` can judge from a recording, and why the others cannot be: a capture holds
 * requests, not the client's auth state, files, configuration or the callsite behind each request.
 * Every rule of the profile is either judged or listed with its reason, so `check` never passes
 * silently on what it did not look at.
 */
import { captureUrlRules, type CaptureUrlOptions } from './check-urls.js';

export type RecordingFormat = 'journal' | 'har';

/** Judged from any recording (request shape, header values, order of requests). */
const FROM_TRAFFIC = [
  'HDR.ACCOUNT.002', 'HDR.FEDRAMP.002', 'HDR.AGENT.001', 'HDR.AUTH.001', 'HDR.BACKEND.001', 'HDR.APPS.001', 'HDR.APPS.002', 'HDR.APPS.003',
  'GATE.APIKEY.002', 'GATE.APIKEY.003', 'AGENT.ASSERT.001', 'AGENT.ASSERT.002', 'AGENT.ASSERT.004', 'AGENT.ASSERT.006',
  'AGENT.TASK.003', 'AGENT.TASK.005', 'AGENT.JWT.002', 'REFRESH.REQUEST.001', 'REFRESH.REQUEST.002', 'REFRESH.REQUEST.003',
  'REFRESH.ERROR.002',
];
/** Judged only where the mock attributed each credential (a `serve --journal` journal). */
const FROM_ATTRIBUTION = ['HDR.BEARER.001', 'HDR.BEARER.002', 'HDR.ACCOUNT.001', 'HDR.FEDRAMP.001', 'HDR.AGENT.002', 'AGENT.ASSERT.003', 'AGENT.ASSERT.005', 'REFRESH.TOKEN.001', 'REFRESH.401.003'];

/** Why a rule cannot be judged from any recording (keys: ids, or prefixes ending in `.`). */
const NEVER_FROM_A_CAPTURE: Readonly<Record<string, string>> = {
  'URL.PATH.001': 'needs the callsite behind each request (its own method and path); a recording does not name it — `run` judges it per callsite',
  'URL.BASE.003': 'needs the auth mode and which requests the source sends to a constant host by design; `run` judges it',
  'URL.AGENT.': 'needs the agent identity configuration (JWKS and authapi overrides, the environment); `run` judges it',
  'URL.APIKEY.': 'needs to know the client used an API key and its configured OpenAI base; `run` judges it',
  'GATE.': 'a gate is judged by what a client did not send for a known auth and callsite; a recording shows neither the auth mode nor the calls asked for — `run` judges it',
  'CACHE.': 'the Apps tools cache is client state (keys, files on disk), not traffic; `run` judges it with the cache model',
  'HDR.PAT.001': 'needs to know the client was given a personal access token (and its whoami answer); `run` judges it',
  'HDR.HEADERS.001': 'needs the header map the host handed the client; `run` judges it',
  'AGENT.JWT.001': 'needs the identity JWT the client was given and whether it should have been accepted; `run` judges it',
  'AGENT.TASK.002': 'needs the client\'s task state across calls; `run` judges it',
  'AGENT.TASK.004': 'needs where each client call began (a retry and a new call look alike in a recording); `run` judges it',
  'REFRESH.': 'needs the token\'s expiry, auth.json before and after, or how the client classified the failure; `run` judges it',
};

export interface JudgeableContext extends CaptureUrlOptions {
  readonly format: RecordingFormat;
}

/** The rules a recording of this format can show, given the flags. */
export function judgeableRules(ctx: JudgeableContext): Set<string> {
  return new Set([...FROM_TRAFFIC, ...(ctx.format === 'journal' ? FROM_ATTRIBUTION : []), ...captureUrlRules(ctx)]);
}

/**
 * Why a rule got no verdict from this recording: it applies to no request in it, it needs a flag,
 * it needs the mock's attribution, or no recording can show it.
 */
export function notJudgedReason(ruleId: string, ctx: JudgeableContext): string {
  if (judgeableRules(ctx).has(ruleId)) return 'no request in this recording it applies to';
  if ((ruleId === 'URL.BASE.001' || ruleId === 'URL.APPS.001') && ctx.chatgptBaseUrl === undefined) {
    return 'needs the client\'s configured ChatGPT base: pass --chatgpt-base-url URL';
  }
  if (FROM_ATTRIBUTION.includes(ruleId)) return 'needs the mock\'s attribution of each credential (record through `serve --journal`); a HAR capture lacks it';
  const key = Object.keys(NEVER_FROM_A_CAPTURE).filter((k) => ruleId === k || (k.endsWith('.') && ruleId.startsWith(k))).sort((a, b) => b.length - a.length)[0];
  return key === undefined ? 'no recording can show it; `run` judges it' : NEVER_FROM_A_CAPTURE[key]!;
}
