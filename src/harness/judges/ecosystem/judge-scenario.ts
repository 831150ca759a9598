import { endpointKind } from '../../../rules/endpoint-kind.js';
import { where, type ObservedRequest } from '../../../rules/observed-request.js';
import { RuleVerdicts, shownHeader, type RuleResult } from '../../../rules/result.js';
import { fingerprint } from '../../../redact/fingerprint.js';
import { isProductionHost } from '../../../rules/check.js';
import type { TokenCustody } from '../../ecosystem/clients.js';
import { ECOSYSTEM_RULES as R } from './ecosystem-rules.js';
import { sha256Hex, type ScenarioRecording } from './scenario-recording.js';

/**
 * Judges one recorded scenario of a third-party client into rule verdicts, from the wire (the
 * case's journal) plus what the package left in auth.json. Pure. Only what the scenario
 * exercises is reported; a rule a client cannot exercise at all is listed in
 * ecosystem-rules.ts NOT_EXERCISABLE instead.
 *
 * Codex behaviour the checks encode (codex-0.171): Bearer + ChatGPT-Account-ID + X-OpenAI-Fedramp
 * exactly for FedRAMP accounts (codex-rs/model-provider/src/bearer_auth_provider.rs); refresh when
 * the access token expires within 5 minutes, on a 401 once (reload, then refresh, then retry),
 * never again after a permanent failure, JSON body, new tokens written back
 * (codex-rs/login/src/auth/manager.rs).
 */
/** Codex's ChatGPT base; its model traffic goes to `{this}/codex` (CHATGPT_CODEX_BASE_URL). */
const DEFAULT_BASE = 'https://chatgpt.com/backend-api';

const isBackend = (e: ObservedRequest): boolean => endpointKind(e.url) === 'codexBackend';
const isToken = (e: ObservedRequest): boolean => endpointKind(e.url) === 'oauthToken';
const bearerOf = (e: ObservedRequest): string | undefined => {
  const a = e.headers['authorization'];
  return a !== undefined && a.startsWith('Bearer ') ? a.slice('Bearer '.length) : undefined;
};
const OTHER_CREDENTIALS = ['x-api-key', 'api-key', 'openai-api-key', 'proxy-authorization'];

function configuredBase(r: ScenarioRecording): URL {
  return new URL((r.config.chatgptBaseUrl ?? DEFAULT_BASE).replace(/\/+$/, ''));
}

export function judgeScenario(r: ScenarioRecording, custody: TokenCustody): RuleResult[] {
  // A package that crashed or hung is reported as such (scenario table, observations); what it
  // did not get to do is not a rule verdict.
  if (r.safety.some((e) => e.kind === 'crashed' || e.kind === 'hung')) return [];
  const v = new RuleVerdicts(r.caseId, true);
  const s = r.scenario;
  const entries = [...r.entries].sort((a, b) => a.seq - b.seq);
  const backend = entries.filter(isBackend);
  const tokens = entries.filter(isToken);
  const account = r.seeded.accountId;

  // Header set on every backend request.
  for (const e of backend) {
    const auth = e.headers['authorization'];
    const cred = e.credential;
    if (auth === undefined) v.fail(R.backendAuthorized, `backend request ${where(e)}`, 'an authorization header', 'none');
    else v.pass(R.backendAuthorized, `every backend request was authorized (first: ${where(e)})`);
    if (auth !== undefined) {
      const own = cred.kind === 'bearer' && cred.issued?.tokenKind === 'chatgptAccess' && cred.issued.accountId === account;
      if (!auth.startsWith('Bearer ') || !own) v.fail(R.bearer, `authorization on ${where(e)}`, `Bearer <an access token of account ${account}>`, shownHeader('authorization', auth));
      else v.pass(R.bearer, `every backend request carried the account's own Bearer token (first: ${where(e)})`);
    }
    const others = OTHER_CREDENTIALS.filter((h) => e.headers[h] !== undefined);
    if (others.length > 0 || (auth !== undefined && !/^(Bearer|AgentAssertion) \S+$/.test(auth))) {
      v.fail(R.oneCredential, `credentials on ${where(e)}`, 'exactly one "Bearer <token>" authorization header', others.length > 0 ? `also ${others.join(', ')}` : shownHeader('authorization', auth));
    } else if (auth !== undefined) v.pass(R.oneCredential, `one credential per request (first: ${where(e)})`);

    const acct = e.headers['chatgpt-account-id'];
    if (acct !== undefined && acct.trim() === '') v.fail(R.accountNeverEmpty, `ChatGPT-Account-ID on ${where(e)}`, 'an account id or no header', JSON.stringify(acct));
    else if (acct !== undefined) v.pass(R.accountNeverEmpty, `ChatGPT-Account-ID never empty (first: ${where(e)})`);
    if (s.storedAccountId) {
      if (acct !== account) v.fail(R.account, `ChatGPT-Account-ID on ${where(e)}`, JSON.stringify(account), shownHeader('chatgpt-account-id', acct));
      else v.pass(R.account, `ChatGPT-Account-ID was the account on every backend request (first: ${where(e)})`);
    } else if (acct !== undefined) {
      // auth.json stores no account id: when a client sends one anyway it must be the token's own.
      if (acct !== account) v.fail(R.account, `ChatGPT-Account-ID on ${where(e)}`, `${JSON.stringify(account)} (the token's account) or no header`, shownHeader('chatgpt-account-id', acct));
      else v.pass(R.account, `ChatGPT-Account-ID, derived by the client, was the token's account (first: ${where(e)})`);
    }

    const fed = e.headers['x-openai-fedramp'];
    if (fed !== undefined && fed !== 'true') v.fail(R.fedrampLiteral, `X-OpenAI-Fedramp on ${where(e)}`, '"true" or no header', JSON.stringify(fed));
    else if (fed !== undefined) v.pass(R.fedrampLiteral, `X-OpenAI-Fedramp was the literal "true" (first: ${where(e)})`);
    if (s.fedramp && fed !== 'true') v.fail(R.fedramp, `X-OpenAI-Fedramp on ${where(e)} (FedRAMP account)`, '"true"', shownHeader('x-openai-fedramp', fed));
    else if (!s.fedramp && fed !== undefined) v.fail(R.fedramp, `X-OpenAI-Fedramp on ${where(e)} (not a FedRAMP account)`, 'no header', JSON.stringify(fed));
    else v.pass(R.fedramp, s.fedramp ? `X-OpenAI-Fedramp: true on every backend request (first: ${where(e)})` : `no X-OpenAI-Fedramp for a non-FedRAMP account (first: ${where(e)})`);
  }

  // Model traffic (every backend request these clients make) goes to the configured model base,
  // else to the constant https://chatgpt.com/backend-api/codex; with a custom base configured,
  // nothing but the token endpoint goes to a production host.
  const modelBase = new URL(`${configuredBase(r).href.replace(/\/+$/, '')}/codex`);
  for (const e of backend) {
    let u: URL;
    try {
      u = new URL(e.url);
    } catch {
      continue;
    }
    if (u.origin !== modelBase.origin || !u.pathname.startsWith(`${modelBase.pathname}/`)) {
      v.fail(R.modelBase, `model request target ${where(e)}`, `under ${modelBase.href}`, e.url);
    } else v.pass(R.modelBase, `every model request went under ${modelBase.href} (first: ${where(e)})`);
  }
  if (s.customBaseUrl) {
    const strays = entries.filter((e) => !isToken(e) && isProductionHost(safeHost(e.url)));
    for (const e of strays) v.fail(R.noDefaultHost, `request with a custom base ${configuredBase(r).href}`, 'no request to a production host (the token endpoint aside)', where(e));
    if (strays.length === 0 && entries.length > 0) v.pass(R.noDefaultHost, `no request left the configured base ${configuredBase(r).href} (token endpoint aside)`);
  }

  // Refresh.
  const BODY_REFUSALS = new Set(['invalid_client', 'unsupported_grant_type', 'invalid_request', 'unsupported_content_type', 'invalid_json']);
  for (const t of tokens) {
    const ct = (t.headers['content-type'] ?? '').trim();
    const json = /^application\/json\b/i.test(ct);
    const form = /^application\/x-www-form-urlencoded\b/i.test(ct);
    if (!json && !form) v.fail(R.refreshFields, `token refresh ${where(t)}`, 'a JSON or form-encoded body', `Content-Type ${JSON.stringify(ct === '' ? '(absent)' : ct)}`);
    else if (t.verdict.endpoint === 'oauth.token' && t.verdict.reason !== undefined && BODY_REFUSALS.has(t.verdict.reason)) v.fail(R.refreshFields, `token refresh ${where(t)}`, 'client_id, grant_type=refresh_token and the refresh token', `refused: ${t.verdict.reason}`);
    else v.pass(R.refreshFields, `the refresh carried its fields ${json ? 'as JSON' : 'form-encoded'} (${where(t)})`);
    if (!json) v.fail(R.refreshEncoding, `token refresh ${where(t)}`, 'Content-Type: application/json, as Codex sends it', `Content-Type ${JSON.stringify(ct === '' ? '(absent)' : ct)}`);
    else v.pass(R.refreshEncoding, `the refresh body was JSON (${where(t)})`);
  }
  const firstBackend = backend[0];
  const due = s.accessToken.kind !== 'fresh';
  const before = tokens.filter((t) => firstBackend === undefined || t.seq < firstBackend.seq);
  if (due) {
    const windowNote = s.accessToken.kind === 'insideRefreshWindow' ? ` (it expires in ${s.accessToken.secondsLeft} s, inside the 5-minute window)` : ' (it has expired)';
    if (before.length === 1) v.pass(R.proactive, `refreshed once before the first backend request${windowNote}`);
    else v.fail(R.proactive, `access token due for refresh${windowNote}`, 'one refresh before the first backend request', `${before.length} refresh(es) before it${firstBackend === undefined ? '' : `; first backend request ${where(firstBackend)} with ${shownHeader('authorization', firstBackend.headers['authorization'])}`}`);
  } else if (firstBackend !== undefined) {
    // A fresh token is not refreshed before the request (a refresh after a 401 is recovery, judged below).
    const age = s.lastRefreshAgeSeconds > 0 ? ` and last_refresh ${Math.round(s.lastRefreshAgeSeconds / 3600)} h old (Codex consults last_refresh only when the token has no readable exp)` : '';
    if (before.length === 0) v.pass(R.proactive, `a fresh access token was not refreshed before the request${age}`);
    else v.fail(R.proactive, `a fresh access token (an hour left)${age}`, 'no refresh before the backend request', `${before.length} refresh(es), first ${where(before[0]!)}`);
  }

  // 401 recovery (codex-rs/login/src/auth/manager.rs UnauthorizedRecovery): on a 401 Codex reloads
  // auth.json and retries; on a further 401 it refreshes and retries with the new token; then it
  // gives up. So at most two retries; a token the backend keeps refusing gets exactly one refresh.
  if (s.unauthorizedOnce || s.accessTokenRevoked) {
    const rejected = backend.find((e) => e.verdict.status === 401);
    if (rejected === undefined) v.fail(R.onUnauthorized, s.accessTokenRevoked ? 'an access token the backend refuses' : 'the 401-once fault', 'a backend request answered 401', 'none (no backend request reached the backend)');
    else {
      const later = entries.filter((e) => e.seq > rejected.seq);
      const refreshes = later.filter(isToken);
      const path = new URL(rejected.url).pathname;
      const retries = later.filter((e) => isBackend(e) && e.method === rejected.method && new URL(e.url).pathname === path);
      const sameToken = retries.filter((x) => x.headers['authorization'] === rejected.headers['authorization']).length;
      const summary = `${refreshes.length} refresh(es), ${retries.length} retr${retries.length === 1 ? 'y' : 'ies'}${sameToken > 0 ? ` (${sameToken} with the refused token)` : ''}, last answered ${retries.at(-1)?.verdict.status ?? '-'}`;
      const recovered = retries.find((e) => e.verdict.status < 400);
      if (retries.length === 0) v.fail(R.onUnauthorized, `a 401 on ${where(rejected)}`, 'a retry (after reloading auth.json; a refresh and a second retry on a further 401)', `no retry: ${summary}`);
      else if (retries.length > 2) v.fail(R.onUnauthorized, `a 401 on ${where(rejected)}`, 'at most two retries (after a reload, then after a refresh)', summary);
      else if (s.accessTokenRevoked) {
        const ok = refreshes.length === 1 && recovered !== undefined && bearerOf(recovered) !== r.seeded.accessToken && refreshes[0]!.seq < recovered.seq;
        if (ok) v.pass(R.onUnauthorized, `refreshed once and retried with the new token after the backend kept refusing the old one (${summary})`);
        else v.fail(R.onUnauthorized, `the backend refusing the access token (${where(rejected)})`, 'one refresh, then a retry with the new token, within two retries', summary);
      } else if (recovered === undefined) v.fail(R.onUnauthorized, `a 401 once on ${where(rejected)}`, 'a successful retry', summary);
      else v.pass(R.onUnauthorized, `recovered from a single 401 within two retries (${summary})`);
    }
  }

  // Only a 401 starts recovery: another refusal is neither refreshed nor retried.
  for (const e of backend) {
    const st = e.verdict.status;
    if (st < 400 || st >= 500 || st === 401 || st === 408 || st === 429) continue;
    const path = new URL(e.url).pathname;
    const again = backend.filter((x) => x.seq > e.seq && x.method === e.method && new URL(x.url).pathname === path);
    const refreshAfter = tokens.filter((t) => t.seq > e.seq);
    if (again.length > 0 || refreshAfter.length > 0) v.fail(R.onlyUnauthorizedRecovers, `a ${st} on ${where(e)}`, 'no retry and no refresh (only a 401 starts recovery)', `${again.length} retr${again.length === 1 ? 'y' : 'ies'}, ${refreshAfter.length} refresh(es)`);
    else v.pass(R.onlyUnauthorizedRecovers, `a ${st} was neither retried nor refreshed (${where(e)})`);
  }

  // After a successful refresh the next backend request uses the new token.
  const refreshed = tokens.filter((t) => t.verdict.status === 200);
  for (const t of refreshed) {
    const next = backend.find((e) => e.seq > t.seq);
    if (next === undefined) continue;
    if (bearerOf(next) === r.seeded.accessToken) v.fail(R.newTokenUsed, `backend request after the refresh ${where(t)}`, 'the new access token', `the old one on ${where(next)}`);
    else v.pass(R.newTokenUsed, `the request after the refresh carried a new token (${where(next)})`);
  }

  // Written back (only where the package holds auth.json itself).
  const lastSent = [...backend].reverse().find((e) => bearerOf(e) !== undefined && e.seq > (refreshed[0]?.seq ?? Infinity));
  if (custody === 'codexHome' && r.authJson !== undefined && ['replaced', 'rewrittenInPlace', 'created'].includes(r.authJson.disposition)) {
    const aj = r.authJson;
    const strays = r.codexHomeFiles.filter((f) => f !== 'auth.json' && (f.startsWith('auth.json') || f.startsWith('.auth.json')));
    if (aj.parses === true && aj.mode === '0600' && strays.length === 0) v.pass(R.persistedWhole, `the rewritten auth.json is whole JSON, mode 0600, nothing left beside it (${aj.disposition})`);
    else v.fail(R.persistedWhole, 'auth.json after the client rewrote it', 'whole JSON, mode 0600, no stray file beside it', `${aj.parses === true ? 'parses' : 'does not parse'}, mode ${aj.mode ?? '?'}, ${strays.length === 0 ? 'no stray file' : `stray ${strays.join(', ')}`}`);
  }
  if (refreshed.length > 0 && custody === 'codexHome') {
    const aj = r.authJson;
    const sent = lastSent === undefined ? undefined : bearerOf(lastSent);
    const holdsSent = sent !== undefined && aj?.digests?.accessToken === sha256Hex(sent);
    const newer = aj?.lastRefresh !== undefined && aj.lastRefresh !== null && Date.parse(aj.lastRefresh) > Date.parse(r.seeded.lastRefresh);
    if (aj === undefined) v.fail(R.persisted, 'auth.json after a refresh', 'the refreshed tokens written back', 'no introspection (the driver did not answer)');
    else if (holdsSent && newer) v.pass(R.persisted, `auth.json holds the refreshed access token and a newer last_refresh (${aj.disposition})`);
    else {
      const what = aj.digests?.accessToken === sha256Hex(r.seeded.accessToken) ? 'the old access token' : holdsSent ? 'the sent token' : aj.present ? 'another token' : 'no file';
      v.fail(R.persisted, 'auth.json after a refresh', 'the access token sent after the refresh and a newer last_refresh', `${what}, last_refresh ${newer ? 'newer' : 'not newer'}`);
    }
  }

  if (s.refreshFailure !== undefined) {
    const rule = s.refreshFailure.code === 'invalid_grant' ? R.invalidGrantPermanent : R.permanentNotRetried;
    const failedAt = tokens.find((t) => t.verdict.status === s.refreshFailure!.status);
    if (failedAt === undefined) v.fail(rule, `refresh failing with ${s.refreshFailure.status} ${s.refreshFailure.code}`, 'one refresh attempt', tokens.length === 0 ? 'no refresh at all' : `${tokens.length} attempt(s), none answered ${s.refreshFailure.status}`);
    else {
      const again = tokens.filter((t) => t.seq > failedAt.seq);
      if (again.length === 0) v.pass(rule, `no refresh after the permanent failure at ${where(failedAt)} (${s.refreshFailure.status} ${s.refreshFailure.code})`);
      else v.fail(rule, `refresh after the permanent failure at ${where(failedAt)}`, 'no further attempt with the same refresh token', `${again.length} more attempt(s), first ${where(again[0]!)}`);
    }
  }
  return v.results();
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/** A short, secret-free description of one request for evidence lines. */
export function describeRequest(e: ObservedRequest): string {
  const auth = e.headers['authorization'];
  const parts = [`#${e.seq} ${e.method} ${e.url} → ${e.verdict.status}${e.verdict.reason === undefined ? '' : ` ${e.verdict.reason}`}`];
  if (auth !== undefined) parts.push(`authorization ${auth.startsWith('Bearer ') ? `Bearer ${fingerprint(auth.slice(7))}` : shownHeader('authorization', auth)}`);
  const acct = e.headers['chatgpt-account-id'];
  if (acct !== undefined) parts.push(`chatgpt-account-id ${acct}`);
  const fed = e.headers['x-openai-fedramp'];
  if (fed !== undefined) parts.push(`x-openai-fedramp ${fed}`);
  if (endpointKind(e.url) === 'oauthToken') parts.push(`content-type ${e.headers['content-type'] ?? '(absent)'}`);
  return parts.join(', ');
}
