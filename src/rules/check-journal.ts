/**
 * Judges recorded traffic with no knowledge of the case: only what each request carries and
 * what the mock attributed to its credential. Used by `codex-auth-conformance check` on a
 * journal or a HAR capture. Every rule judged at least once reports a pass unless it failed.
 *
 * Header values are judged as a JavaScript client can get them wrong: an empty, whitespace-padded
 * or placeholder ("undefined", "null", "NaN", "[object Object]") account id fails HDR.ACCOUNT.002;
 * a placeholder credential fails HDR.BEARER.001 / HDR.AGENT.001.
 *
 * With `mockAttribution` (a journal the mock wrote: `serve --journal`), the mock's own verdict on
 * each credential is evidence: a Bearer token the mock never issued fails HDR.BEARER.001, and a
 * managed ChatGPT access token the backend keeps answering 401 must be refreshed (REFRESH.401.003).
 * A HAR capture carries no such knowledge, so those two are not judged on it.
 *
 * Rules judged here, per contract profile (rules outside the profile are never reported):
 * HDR.BEARER.002, HDR.ACCOUNT.001, HDR.ACCOUNT.002, HDR.FEDRAMP.001, HDR.FEDRAMP.002,
 * HDR.AGENT.001, HDR.AGENT.002, HDR.AUTH.001, HDR.BACKEND.001, HDR.APPS.001 / HDR.APPS.002 /
 * HDR.APPS.003, GATE.APIKEY.002 / GATE.APIKEY.003, AGENT.ASSERT.001-006 (as far as the attribution
 * tells), AGENT.TASK.003, AGENT.TASK.004, AGENT.TASK.005, AGENT.JWT.002, REFRESH.REQUEST.001 /
 * REFRESH.REQUEST.002 / REFRESH.REQUEST.003, REFRESH.TOKEN.001, REFRESH.ERROR.002, REFRESH.401.003 (with mockAttribution),
 * HDR.UNIQUE.001, URL.ROUTING.001, URL.ROUTING.002 (codex-0.171).
 *
 * The checks live beside it: per request, check-request-headers.ts (and check-token-request.ts)
 * and check-request-values.ts; over a case's order of requests, check-sequences.ts; the verdicts
 * are collected by journal-collector.ts.
 */
import { ruleIdsInProfile } from './catalogue.js';
import { checkRequestHeaders } from './check-request-headers.js';
import { checkAttribution, checkUnique, checkValues } from './check-request-values.js';
import { checkRefreshAfter401, checkRouting, checkSequences } from './check-sequences.js';
import { endpointKind } from './endpoint-kind.js';
import { Collector } from './journal-collector.js';
import type { JournalCheckOptions } from './journal-check-options.js';
import type { ObservedRequest } from './observed-request.js';
import { DEFAULT_PROFILE } from './profiles.js';
import type { RuleResult } from './result.js';

export function checkJournal(entries: readonly ObservedRequest[], options: JournalCheckOptions = {}): RuleResult[] {
  const profile = options.profile ?? DEFAULT_PROFILE;
  const c = new Collector();
  const ordered = [...entries].sort((a, b) => a.seq - b.seq);
  for (const e of ordered) {
    const kind = endpointKind(e.url);
    checkRequestHeaders(c, e, kind, profile, options);
    checkValues(c, e);
    checkUnique(c, e);
    if (options.mockAttribution === true) checkAttribution(c, e, kind);
  }
  checkSequences(c, ordered, profile, options.callStarts);
  checkRouting(c, ordered);
  if (options.mockAttribution === true) checkRefreshAfter401(c, ordered);
  const inProfile = new Set(ruleIdsInProfile(profile));
  return c.results().filter((r) => inProfile.has(r.ruleId));
}
