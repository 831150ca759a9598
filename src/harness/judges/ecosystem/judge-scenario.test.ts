import { describe, expect, it } from 'vitest';
import type { CredentialAttribution, ObservedRequest } from '../../../rules/observed-request.js';
import { judgeScenario } from './judge-scenario.js';
import { sha256Hex, type ScenarioRecording } from './scenario-recording.js';
import { scenario, type ScenarioId } from './scenario-view.js';

const ACCOUNT = 'acct-1';
const OLD = 'old.access.token';
const NEW = 'new.access.token';
const RESPONSES = 'https://chatgpt.com/backend-api/codex/responses';
const TOKEN = 'https://auth.openai.com/oauth/token';

function own(token: string, fedramp = false): CredentialAttribution {
  return { kind: 'bearer', fingerprint: `fp:${token.length}`, issued: { tokenKind: 'chatgptAccess', accountId: ACCOUNT, isFedramp: fedramp, expired: false } };
}

let seq = 0;
function req(url: string, headers: Record<string, string>, status = 200, credential: CredentialAttribution = { kind: 'none' }, method = 'POST'): ObservedRequest {
  seq += 1;
  return { seq, time: new Date(0).toISOString(), method, url, headers, credential, verdict: { status, handled: true } };
}
const backend = (token: string, extra: Record<string, string> = {}, status = 200, url = RESPONSES): ObservedRequest =>
  req(url, { authorization: `Bearer ${token}`, 'chatgpt-account-id': ACCOUNT, 'content-type': 'application/json', ...extra }, status, own(token, extra['x-openai-fedramp'] === 'true'));
const refresh = (status = 200, contentType = 'application/json'): ObservedRequest => req(TOKEN, { 'content-type': contentType }, status);

function recording(id: ScenarioId, entries: ObservedRequest[], more: Partial<ScenarioRecording> = {}): ScenarioRecording {
  const s = scenario(id);
  return {
    clientId: 'c',
    clientVersion: '1.0.0',
    scenario: s,
    caseId: `c-${id}`,
    seeded: { accountId: ACCOUNT, fedramp: s.fedramp, accessToken: OLD, refreshToken: 'rt', idToken: 'id', lastRefresh: '2026-01-01T00:00:00.000Z' },
    config: s.customBaseUrl ? { chatgptBaseUrl: 'http://127.0.0.1:4000/__case/c/backend-api/' } : {},
    entries,
    outcome: { kind: 'sent', status: 200 },
    authJson: undefined,
    dnsNames: [],
    outsideWrites: [],
    codexHomeFiles: ['auth.json'],
    safety: [],
    durationMs: 1,
    ...more,
  };
}

const verdictOf = (results: ReturnType<typeof judgeScenario>, rule: string) => {
  const mine = results.filter((r) => r.ruleId === rule);
  return mine.length === 0 ? undefined : mine.some((r) => r.verdict === 'fail') ? 'fail' : 'pass';
};

describe('judging one ecosystem scenario from the wire', () => {
  it('HDR.FEDRAMP.001 fails a FedRAMP account whose backend request lacks X-OpenAI-Fedramp, and passes with it', () => {
    expect(verdictOf(judgeScenario(recording('fedramp', [backend(OLD)]), 'codexHome'), 'HDR.FEDRAMP.001')).toBe('fail');
    expect(verdictOf(judgeScenario(recording('fedramp', [backend(OLD, { 'x-openai-fedramp': 'true' })]), 'codexHome'), 'HDR.FEDRAMP.001')).toBe('pass');
    expect(verdictOf(judgeScenario(recording('chatgpt', [backend(OLD, { 'x-openai-fedramp': 'false' })]), 'codexHome'), 'HDR.FEDRAMP.002')).toBe('fail');
  });

  it('HDR.ACCOUNT.001 without a stored account id: a header derived from the token passes, another account fails', () => {
    expect(verdictOf(judgeScenario(recording('noAccountId', [backend(OLD)]), 'codexHome'), 'HDR.ACCOUNT.001')).toBe('pass');
    expect(verdictOf(judgeScenario(recording('noAccountId', [backend(OLD, { 'chatgpt-account-id': 'acct-other' })]), 'codexHome'), 'HDR.ACCOUNT.001')).toBe('fail');
    expect(verdictOf(judgeScenario(recording('chatgpt', [backend(OLD, { 'chatgpt-account-id': '' })]), 'codexHome'), 'HDR.ACCOUNT.002')).toBe('fail');
  });

  it('HDR.BEARER.001 fails a Bearer the mock did not issue to the account', () => {
    const foreign = req(RESPONSES, { authorization: 'Bearer forged', 'chatgpt-account-id': ACCOUNT }, 401, { kind: 'bearer', fingerprint: 'fp:x' });
    expect(verdictOf(judgeScenario(recording('chatgpt', [foreign]), 'codexHome'), 'HDR.BEARER.001')).toBe('fail');
    expect(verdictOf(judgeScenario(recording('chatgpt', [backend(OLD)]), 'codexHome'), 'HDR.BEARER.001')).toBe('pass');
  });

  it('REFRESH.401.003 a single 401: a retry (same token after a reload, or after a refresh) passes; no retry or three retries fail', () => {
    expect(verdictOf(judgeScenario(recording('unauthorizedOnce', [backend(OLD, {}, 401), backend(OLD)]), 'codexHome'), 'REFRESH.401.003')).toBe('pass');
    const refreshed = judgeScenario(recording('unauthorizedOnce', [backend(OLD, {}, 401), refresh(), backend(NEW)]), 'codexHome');
    expect(verdictOf(refreshed, 'REFRESH.401.003')).toBe('pass');
    expect(verdictOf(refreshed, 'REFRESH.TOKEN.001')).toBe('pass');
    const none = judgeScenario(recording('unauthorizedOnce', [backend(OLD, {}, 401)]), 'codexHome');
    expect(verdictOf(none, 'REFRESH.401.003')).toBe('fail');
    expect(none.find((r) => r.ruleId === 'REFRESH.401.003')?.actual).toMatch(/no retry/);
    expect(verdictOf(judgeScenario(recording('unauthorizedOnce', [backend(OLD, {}, 401), backend(OLD, {}, 401), backend(OLD, {}, 401), backend(OLD)]), 'codexHome'), 'REFRESH.401.003')).toBe('fail');
  });

  it('REFRESH.401.003 a token the backend keeps refusing: one refresh and a retry with the new token pass; same-token retries fail', () => {
    expect(verdictOf(judgeScenario(recording('accessTokenRevoked', [backend(OLD, {}, 401), backend(OLD, {}, 401), refresh(), backend(NEW)]), 'codexHome'), 'REFRESH.401.003')).toBe('pass');
    const stuck = judgeScenario(recording('accessTokenRevoked', [backend(OLD, {}, 401), backend(OLD, {}, 401), backend(OLD, {}, 401)]), 'codexHome');
    expect(verdictOf(stuck, 'REFRESH.401.003')).toBe('fail');
    expect(stuck.find((r) => r.ruleId === 'REFRESH.401.003')?.actual).toMatch(/0 refresh\(es\), 2 retries \(2 with the refused token\)/);
  });

  it('REFRESH.401.002 only a 401 starts recovery: a 403 retried fails, a 403 left alone passes', () => {
    const retried = judgeScenario(recording('fedramp', [backend(OLD, {}, 403), backend(OLD, {}, 403)]), 'codexHome');
    expect(retried.find((r) => r.ruleId === 'REFRESH.401.002')?.verdict).toBe('fail');
    const alone = judgeScenario(recording('fedramp', [backend(OLD, {}, 403)]), 'codexHome');
    expect(alone.find((r) => r.ruleId === 'REFRESH.401.002')?.verdict).toBe('pass');
  });

  it('REFRESH.PROACTIVE.002 inside the window: one refresh before the backend request passes, none fails; a fresh token refreshed fails', () => {
    expect(verdictOf(judgeScenario(recording('refreshWindow', [refresh(), backend(NEW)]), 'codexHome'), 'REFRESH.PROACTIVE.002')).toBe('pass');
    expect(verdictOf(judgeScenario(recording('refreshWindow', [backend(OLD)]), 'codexHome'), 'REFRESH.PROACTIVE.002')).toBe('fail');
    expect(verdictOf(judgeScenario(recording('chatgpt', [refresh(), backend(NEW)]), 'codexHome'), 'REFRESH.PROACTIVE.002')).toBe('fail');
    expect(verdictOf(judgeScenario(recording('staleLastRefresh', [refresh(), backend(NEW)]), 'codexHome'), 'REFRESH.PROACTIVE.002')).toBe('fail');
    expect(verdictOf(judgeScenario(recording('staleLastRefresh', [backend(OLD)]), 'codexHome'), 'REFRESH.PROACTIVE.002')).toBe('pass');
    // A refresh after a 401 is recovery, not a proactive refresh of a fresh token.
    expect(verdictOf(judgeScenario(recording('accessTokenRevoked', [backend(OLD, {}, 401), refresh(), backend(NEW)]), 'codexHome'), 'REFRESH.PROACTIVE.002')).toBe('pass');
  });

  it('REFRESH.REQUEST.003 a form-encoded refresh fails the SHOULD, JSON passes', () => {
    expect(verdictOf(judgeScenario(recording('refreshWindow', [refresh(200, 'application/x-www-form-urlencoded'), backend(NEW)]), 'codexHome'), 'REFRESH.REQUEST.003')).toBe('fail');
    expect(verdictOf(judgeScenario(recording('refreshWindow', [refresh(), backend(NEW)]), 'codexHome'), 'REFRESH.REQUEST.003')).toBe('pass');
  });

  it('REFRESH.REQUEST.002 JSON and form bodies both pass; a refused body or another encoding fails', () => {
    expect(verdictOf(judgeScenario(recording('refreshWindow', [refresh(200, 'application/x-www-form-urlencoded'), backend(NEW)]), 'codexHome'), 'REFRESH.REQUEST.002')).toBe('pass');
    const refused = { ...refresh(401), verdict: { status: 401, handled: true, endpoint: 'oauth.token', reason: 'invalid_client' } };
    expect(verdictOf(judgeScenario(recording('refreshWindow', [refused]), 'codexHome'), 'REFRESH.REQUEST.002')).toBe('fail');
    expect(verdictOf(judgeScenario(recording('refreshWindow', [refresh(415, 'text/plain')]), 'codexHome'), 'REFRESH.REQUEST.002')).toBe('fail');
  });

  it('REFRESH.PERSIST.003 a rewritten auth.json must be whole, mode 0600, with no stray file beside it', () => {
    const written = (mode: string, files: string[]) => recording('refreshWindow', [refresh(), backend(NEW)], { authJson: { present: true, disposition: 'replaced', parses: true, mode }, codexHomeFiles: files });
    expect(verdictOf(judgeScenario(written('0600', ['auth.json']), 'codexHome'), 'REFRESH.PERSIST.003')).toBe('pass');
    expect(verdictOf(judgeScenario(written('0644', ['auth.json']), 'codexHome'), 'REFRESH.PERSIST.003')).toBe('fail');
    expect(verdictOf(judgeScenario(written('0600', ['auth.json', '.auth.json.tmp-1']), 'codexHome'), 'REFRESH.PERSIST.003')).toBe('fail');
  });

  it('REFRESH.PERSIST.001 where the package holds auth.json: the sent token and a newer last_refresh pass; the old token fails; callers holding the tokens are not judged', () => {
    const traffic = () => [refresh(), backend(NEW)];
    const stored = (token: string, lastRefresh: string) => ({ present: true, disposition: 'replaced' as const, digests: { accessToken: sha256Hex(token), refreshToken: null, idToken: null }, lastRefresh });
    expect(verdictOf(judgeScenario(recording('refreshWindow', traffic(), { authJson: stored(NEW, '2026-06-01T00:00:00Z') }), 'codexHome'), 'REFRESH.PERSIST.001')).toBe('pass');
    expect(verdictOf(judgeScenario(recording('refreshWindow', traffic(), { authJson: stored(OLD, '2026-01-01T00:00:00Z') }), 'codexHome'), 'REFRESH.PERSIST.001')).toBe('fail');
    expect(verdictOf(judgeScenario(recording('refreshWindow', traffic(), { authJson: stored(OLD, '2026-01-01T00:00:00Z') }), 'caller'), 'REFRESH.PERSIST.001')).toBeUndefined();
  });

  it('REFRESH.ERROR.002 a second refresh after a permanent failure fails; one attempt passes', () => {
    expect(verdictOf(judgeScenario(recording('refreshReused', [refresh(401)]), 'codexHome'), 'REFRESH.ERROR.002')).toBe('pass');
    expect(verdictOf(judgeScenario(recording('refreshReused', [refresh(401), refresh(401)]), 'codexHome'), 'REFRESH.ERROR.002')).toBe('fail');
    expect(verdictOf(judgeScenario(recording('refreshInvalidGrant', [refresh(400)]), 'codexHome'), 'REFRESH.ERROR.003')).toBe('pass');
    expect(verdictOf(judgeScenario(recording('refreshInvalidGrant', [refresh(400), refresh(400)]), 'codexHome'), 'REFRESH.ERROR.003')).toBe('fail');
  });

  it('URL.BASE.003 with a custom base: a request to chatgpt.com fails, the configured base passes URL.BASE.001', () => {
    const local = 'http://127.0.0.1:4000/__case/c/backend-api/codex/responses';
    const ok = judgeScenario(recording('customBaseUrl', [backend(OLD, {}, 200, local)]), 'codexHome');
    expect(verdictOf(ok, 'URL.MODEL.001')).toBe('pass');
    expect(verdictOf(ok, 'URL.BASE.003')).toBe('pass');
    const stray = judgeScenario(recording('customBaseUrl', [backend(OLD, {}, 200, local), backend(OLD, {}, 200, 'https://chatgpt.com/backend-api/codex/models')]), 'codexHome');
    expect(verdictOf(stray, 'URL.BASE.003')).toBe('fail');
    expect(verdictOf(stray, 'URL.MODEL.001')).toBe('fail');
  });

  it('HDR.AUTH.001 a second credential header fails', () => {
    expect(verdictOf(judgeScenario(recording('chatgpt', [backend(OLD, { 'x-api-key': 'k' })]), 'codexHome'), 'HDR.AUTH.001')).toBe('fail');
  });

  it('gives no rule verdict for a package that crashed or hung (reported as such instead)', () => {
    expect(judgeScenario(recording('chatgpt', [], { safety: [{ kind: 'crashed', detail: 'invoke: exited' }] }), 'codexHome')).toEqual([]);
    expect(judgeScenario(recording('refreshWindow', [], { safety: [{ kind: 'hung', detail: 'invoke: no answer' }] }), 'codexHome')).toEqual([]);
  });
});
