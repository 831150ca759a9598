import { inProfile } from './catalogue.js';
import { contractFeatures } from './contract/features.js';
import { endpointKind, registrationRuntimeId } from './endpoint-kind.js';
import { requestsByCase, type Collector } from './journal-collector.js';
import type { ObservedRequest } from './observed-request.js';
import type { ProfileId } from './profiles.js';
import { routingFindings } from './routing-checks.js';

/**
 * Rules over the order of requests within one case (or the whole journal without case ids):
 * task registration before its assertions, retries and once per load (AGENT.TASK.003-005), the
 * JWKS first (AGENT.JWT.002), no refresh after a permanent failure (REFRESH.ERROR.002), the new
 * token after a refresh (REFRESH.TOKEN.001), a refresh after a second 401 (REFRESH.401.003, from
 * the mock's attribution) and the routing of each case (URL.ROUTING.*, routing-checks.ts).
 */

/** URL.ROUTING.001 / URL.ROUTING.002, per case (routing-checks.ts). */
export function checkRouting(c: Collector, ordered: readonly ObservedRequest[]): void {
  for (const group of requestsByCase(ordered)) {
    for (const f of routingFindings(group)) {
      if (f.ok) c.judge(f.rule, f.entry);
      else c.fail(f.rule, f.entry, f.what, f.expected, f.actual);
    }
  }
}

/**
 * REFRESH.401.003 from the mock's side: a managed ChatGPT token the backend answers 401 twice (the
 * retry after the reload was refused too) must be refreshed next. A single 401 needs no refresh:
 * the source's recovery reloads auth.json and retries first.
 */
export function checkRefreshAfter401(c: Collector, ordered: readonly ObservedRequest[]): void {
  for (const group of requestsByCase(ordered)) {
    const rejected = (o: ObservedRequest): boolean => o.verdict.status === 401 && endpointKind(o.url) === 'codexBackend' && o.credential.kind === 'bearer' && o.credential.issued?.tokenKind === 'chatgptAccess';
    for (const e of group.filter(rejected)) {
      const fp = e.credential.kind === 'bearer' ? e.credential.fingerprint : '';
      const again = group.find((o) => o.seq > e.seq && rejected(o) && o.credential.kind === 'bearer' && o.credential.fingerprint === fp);
      if (again === undefined) continue;
      c.judge('REFRESH.401.003', again);
      const refreshed = group.some((o) => o.seq > again.seq && endpointKind(o.url) === 'oauthToken');
      if (!refreshed) c.fail('REFRESH.401.003', again, 'a managed ChatGPT access token answered 401 again after the retry', 'a token refresh, then a retry with the new token', 'no token refresh after it');
    }
  }
}

/** Whether a failed token-endpoint answer is permanent under the profile (REFRESH.ERROR.002). */
export function isPermanentRefreshFailure(profile: ProfileId, status: number, code: string | undefined): boolean {
  if (status === 401) return true;
  const permanent = contractFeatures(profile).permanentRefresh;
  if (permanent === 'unauthorizedOnly') return false;
  const known = ['refresh_token_expired', 'refresh_token_reused', 'refresh_token_invalidated'];
  return (code !== undefined && known.includes(code)) || (permanent === 'knownCodesAndInvalidGrant' && status === 400 && code === 'invalid_grant');
}

/** Registration statuses the source retries after (0.171.0: 429, 5xx; a transport error leaves no answer). */
function isRetryableRegistration(status: number): boolean {
  return status === 429 || status >= 500 || status === 0;
}

/** Rules over the order of requests within one case (or the whole journal without case ids). */
export function checkSequences(c: Collector, ordered: readonly ObservedRequest[], profile: ProfileId, callStarts: readonly number[] | undefined): void {
  const callOf = (seq: number): number => (callStarts === undefined ? 0 : callStarts.filter((start) => seq > start).length);
  const maxAttempts = contractFeatures(profile).registrationAttempts;
  for (const group of requestsByCase(ordered)) {
    const registrations = new Map<string, ObservedRequest[]>();
    for (const e of group) {
      const rt = endpointKind(e.url) === 'taskRegistration' && e.method === 'POST' ? registrationRuntimeId(e.url) : undefined;
      if (rt !== undefined) registrations.set(rt, [...(registrations.get(rt) ?? []), e]);
    }
    const jwksSeqs = group.filter((e) => endpointKind(e.url) === 'jwks').map((e) => e.seq);
    for (const [rt, regs] of registrations) {
      // AGENT.TASK.004 (per call): a retry follows only a retryable failure, within the source's attempts.
      let run = 0;
      let previous: ObservedRequest | undefined;
      for (const r of callStarts === undefined ? [] : regs) {
        const ok = r.verdict.status >= 200 && r.verdict.status < 300;
        const retry = previous !== undefined && callOf(previous.seq) === callOf(r.seq) && !jwksSeqs.some((j) => j > previous!.seq && j < r.seq);
        run = retry ? run + 1 : 1;
        c.judge('AGENT.TASK.004', r);
        if (retry && !isRetryableRegistration(previous!.verdict.status)) {
          c.fail('AGENT.TASK.004', r, `task registration retry for runtime ${JSON.stringify(rt)}`, 'a retry only after 429, 5xx or a transport error', `a retry after ${previous!.verdict.status}`);
        } else if (run > maxAttempts) {
          c.fail('AGENT.TASK.004', r, `task registration for runtime ${JSON.stringify(rt)}`, `at most ${maxAttempts} attempt(s) per load`, `attempt ${run}`);
        }
        previous = ok ? undefined : r;
      }
      // AGENT.TASK.005 (codex-0.171): each load verifies the JWT (one JWKS fetch), then registers once.
      if (inProfile(profile, 'AGENT.TASK.005')) {
        const successes = regs.filter((r) => r.verdict.status >= 200 && r.verdict.status < 300);
        let lastLoad = -1;
        let registeredThisLoad = false;
        for (const r of successes) {
          const load = Math.max(-1, ...jwksSeqs.filter((j) => j < r.seq));
          if (load !== lastLoad) {
            lastLoad = load;
            registeredThisLoad = false;
          }
          c.judge('AGENT.TASK.005', r);
          if (registeredThisLoad) c.fail('AGENT.TASK.005', r, `task registration for runtime ${JSON.stringify(rt)}`, 'one successful registration per load (per JWKS verification)', 'a second successful registration with no new verification in between');
          registeredThisLoad = true;
        }
      }
    }
    const firstJwks = group.find((e) => endpointKind(e.url) === 'jwks');
    let refreshedOk = false;
    const rejected = new Set<string>();
    let permanentRefreshFailure: ObservedRequest | undefined;
    for (const e of group) {
      const kind = endpointKind(e.url);
      const auth = e.headers['authorization'];
      if (auth?.startsWith('AgentAssertion ') && e.credential.kind === 'agentAssertion' && e.credential.agentRuntimeId !== undefined) {
        const regs = registrations.get(e.credential.agentRuntimeId);
        if (regs !== undefined) {
          c.judge('AGENT.TASK.003', e);
          if (regs.every((r) => r.seq > e.seq)) c.fail('AGENT.TASK.003', e, 'AgentAssertion request', 'task registration first', `registration at #${regs[0]?.seq ?? '?'}, after this request`);
        }
      }
      if (auth?.startsWith('AgentAssertion ') && firstJwks !== undefined) {
        c.judge('AGENT.JWT.002', e);
        if (firstJwks.seq > e.seq) c.fail('AGENT.JWT.002', e, 'AgentAssertion request', 'the JWKS fetched first', `JWKS fetched at #${firstJwks.seq}, after this request`);
      }
      if (kind === 'oauthToken') {
        if (permanentRefreshFailure !== undefined) {
          c.fail('REFRESH.ERROR.002', e, 'token refresh', 'no new refresh after a permanent failure', `a refresh after the failure at #${permanentRefreshFailure.seq}`);
        } else if (!(e.verdict.status >= 200 && e.verdict.status < 300) && isPermanentRefreshFailure(profile, e.verdict.status, e.verdict.reason)) {
          permanentRefreshFailure = e;
          c.judge('REFRESH.ERROR.002', e);
        }
        if (e.verdict.status >= 200 && e.verdict.status < 300) refreshedOk = true;
        continue;
      }
      if (kind === 'codexBackend' && e.credential.kind === 'bearer') {
        if (refreshedOk && rejected.size > 0) {
          c.judge('REFRESH.TOKEN.001', e);
          if (rejected.has(e.credential.fingerprint)) c.fail('REFRESH.TOKEN.001', e, 'bearer after a refresh', 'the new access token', `the token the backend rejected (${e.credential.fingerprint})`);
        }
        if (e.verdict.status === 401) rejected.add(e.credential.fingerprint);
      }
    }
  }
}
