import { describe, expect, it } from 'vitest';
import { isInputError } from '../errors.js';
import {
  checkAuthJsonFile,
  checkAuthJsonPersisted,
  checkNoRecoveryWithout401,
  checkNoTokenRefresh,
  checkPermanentFailureNotRetried,
  checkProactiveRefresh,
  checkRefreshErrorClass,
  checkUnauthorizedRecovery,
  dueForProactiveRefresh,
  expectedFailureClass,
  isPermanentRefreshAnswer,
  proactiveRule,
  checkAuthJsonFieldsKept,
} from './check-refresh.js';
import { PROFILE_IDS } from './profiles.js';
import { observed } from './test-fixtures.js';

const token = (seq: number, status = 200) => observed({ seq, method: 'POST', url: 'http://127.0.0.1:4010/oauth/token', verdict: { status, handled: true } });
const call = (seq: number, status = 200, bearer = 'old') =>
  observed({ seq, url: 'http://127.0.0.1:4010/backend-api/wham/usage', headers: { authorization: `Bearer ${bearer}` }, verdict: { status, handled: true } });

const NOW = Date.parse('2025-06-01T12:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;

describe('refresh checks', () => {
  it('REFRESH.PROACTIVE.001 pr18811 is due once the access token has expired (and by last_refresh only without a readable exp)', () => {
    // PR #18811 (login/src/auth/manager.rs): stale when exp <= now; no window.
    expect(proactiveRule('pr18811')).toBe('REFRESH.PROACTIVE.001');
    expect(dueForProactiveRefresh('pr18811', (NOW - 1000) / 1000, undefined, NOW)).toBe(true);
    expect(dueForProactiveRefresh('pr18811', NOW / 1000, undefined, NOW)).toBe(true);
    expect(dueForProactiveRefresh('pr18811', (NOW + 4 * MIN) / 1000, undefined, NOW)).toBe(false);
    expect(dueForProactiveRefresh('pr18811', (NOW + 4 * MIN) / 1000, NOW - 30 * DAY, NOW)).toBe(false);
    expect(dueForProactiveRefresh('pr18811', undefined, NOW - 9 * DAY, NOW)).toBe(true);
    expect(dueForProactiveRefresh('pr18811', undefined, NOW - 7 * DAY, NOW)).toBe(false);
    expect(dueForProactiveRefresh('pr18811', undefined, undefined, NOW)).toBe(false);
  });

  it('REFRESH.PROACTIVE.002 codex-0.171 is due when the access token expires within 5 minutes', () => {
    // PR #23546: exp <= now + 5 min; the 8-day rule only when exp is unreadable.
    expect(proactiveRule('codex-0.171')).toBe('REFRESH.PROACTIVE.002');
    expect(dueForProactiveRefresh('codex-0.171', (NOW + 4 * MIN) / 1000, undefined, NOW)).toBe(true);
    expect(dueForProactiveRefresh('codex-0.171', (NOW + 5 * MIN) / 1000, undefined, NOW)).toBe(true);
    expect(dueForProactiveRefresh('codex-0.171', (NOW + 6 * MIN) / 1000, undefined, NOW)).toBe(false);
    expect(dueForProactiveRefresh('codex-0.171', (NOW + 6 * MIN) / 1000, NOW - 30 * DAY, NOW)).toBe(false);
    expect(dueForProactiveRefresh('codex-0.171', undefined, NOW - 9 * DAY, NOW)).toBe(true);
  });

  for (const profile of PROFILE_IDS) {
    const rule = profile === 'pr18811' ? 'REFRESH.PROACTIVE.001' : 'REFRESH.PROACTIVE.002';
    it(`${rule} passes one refresh before the request for due tokens and none for fresh ones (${profile})`, () => {
      expect(checkProactiveRefresh(profile, [token(0), call(1, 200, 'new')], true, 'due tokens')).toMatchObject({ ruleId: rule, verdict: 'pass' });
      expect(checkProactiveRefresh(profile, [call(0)], false, 'fresh tokens')).toMatchObject({ ruleId: rule, verdict: 'pass' });
    });

    it(`${rule} fails a late, missing, repeated or needless refresh (${profile})`, () => {
      expect(checkProactiveRefresh(profile, [call(0), token(1)], true, 'due').message).toContain('after the backend request');
      expect(checkProactiveRefresh(profile, [call(0)], true, 'due')).toMatchObject({ ruleId: rule, verdict: 'fail' });
      expect(checkProactiveRefresh(profile, [token(0), token(1), call(2)], true, 'due')).toMatchObject({ ruleId: rule, verdict: 'fail' });
      expect(checkProactiveRefresh(profile, [token(0), call(1)], false, 'fresh')).toMatchObject({ ruleId: rule, verdict: 'fail' });
    });
  }

  it('REFRESH.401.003 passes one refresh and a retry with the new token, after a reload retry or without one', () => {
    // UnauthorizedRecovery (login/src/auth/manager.rs): reload and retry, then refresh and retry; at most two retries.
    expect(checkUnauthorizedRecovery([call(0, 401), token(1), call(2, 200, 'new')], 'old')).toMatchObject({ ruleId: 'REFRESH.401.003', verdict: 'pass' });
    expect(checkUnauthorizedRecovery([call(0, 401), call(1, 401), token(2), call(3, 200, 'new')], 'old')).toMatchObject({ ruleId: 'REFRESH.401.003', verdict: 'pass' });
  });

  it('REFRESH.401.003 fails no refresh, a retry with the old token, two refreshes, three retries or no 401 at all', () => {
    expect(checkUnauthorizedRecovery([call(0, 401), call(1, 401)], 'old').verdict).toBe('fail');
    expect(checkUnauthorizedRecovery([call(0, 401), token(1), call(2, 401, 'old')], 'old').message).toContain('none with a new token');
    expect(checkUnauthorizedRecovery([call(0, 401), token(1), call(2, 401, 'new'), token(3), call(4, 200, 'newer')], 'old').verdict).toBe('fail');
    expect(checkUnauthorizedRecovery([call(0, 401), call(1, 401), call(2, 401), token(3), call(4, 200, 'new')], 'old').verdict).toBe('fail');
    expect(checkUnauthorizedRecovery([call(0)], 'old').verdict).toBe('fail');
  });

  it('REFRESH.401.002 passes a 403 left alone and fails a refresh or a retry after it', () => {
    expect(checkNoRecoveryWithout401([call(0, 403)])).toMatchObject({ ruleId: 'REFRESH.401.002', verdict: 'pass' });
    expect(checkNoRecoveryWithout401([call(0, 403), token(1)]).verdict).toBe('fail');
    expect(checkNoRecoveryWithout401([call(0, 403), call(1, 200)]).verdict).toBe('fail');
    expect(checkNoRecoveryWithout401([call(0, 200)]).verdict).toBe('fail');
  });

  it('REFRESH.ERROR.001 maps expired, reused and invalidated and fails a wrong class', () => {
    expect(expectedFailureClass('REFRESH_TOKEN_INVALIDATED')).toBe('revoked');
    expect(expectedFailureClass('server_error')).toBe('other');
    expect(expectedFailureClass(undefined)).toBe('other');
    expect(checkRefreshErrorClass('refresh_token_reused', 'reused').verdict).toBe('pass');
    expect(checkRefreshErrorClass('refresh_token_expired', 'other').verdict).toBe('fail');
    expect(checkRefreshErrorClass('invalid_grant', 'other').verdict).toBe('pass');
  });

  it('permanent failure classes per profile: only a 401 at pr18811; a known code at any status and a 400 invalid_grant too at codex-0.171', () => {
    for (const profile of PROFILE_IDS) {
      expect(isPermanentRefreshAnswer(profile, 401, undefined)).toBe(true);
      expect(isPermanentRefreshAnswer(profile, 401, 'server_error')).toBe(true);
      expect(isPermanentRefreshAnswer(profile, 500, undefined)).toBe(false);
      expect(isPermanentRefreshAnswer(profile, 400, 'invalid_request')).toBe(false);
    }
    for (const code of ['refresh_token_expired', 'refresh_token_reused', 'refresh_token_invalidated', 'invalid_grant']) {
      expect(isPermanentRefreshAnswer('pr18811', 400, code), code).toBe(false);
      expect(isPermanentRefreshAnswer('codex-0.171', 400, code), code).toBe(true);
    }
    expect(isPermanentRefreshAnswer('codex-0.171', 403, 'refresh_token_expired')).toBe(true);
    expect(isPermanentRefreshAnswer('codex-0.171', 403, 'invalid_grant')).toBe(false);
  });

  it('REFRESH.ERROR.002 passes one refresh after a 401 and fails a second one, under both profiles', () => {
    for (const profile of PROFILE_IDS) {
      expect(checkPermanentFailureNotRetried(profile, [token(0, 401)], 401, 'refresh_token_reused')).toEqual([expect.objectContaining({ ruleId: 'REFRESH.ERROR.002', verdict: 'pass' })]);
      expect(checkPermanentFailureNotRetried(profile, [token(0, 401), token(1, 401)], 401, 'refresh_token_reused')).toEqual([expect.objectContaining({ ruleId: 'REFRESH.ERROR.002', verdict: 'fail' })]);
    }
    // A transient failure may be retried: a pass however many calls follow.
    expect(checkPermanentFailureNotRetried('pr18811', [token(0, 400), token(1, 400)], 400, 'invalid_grant')).toEqual([expect.objectContaining({ ruleId: 'REFRESH.ERROR.002', verdict: 'pass' })]);
  });

  it('REFRESH.ERROR.003 codex-0.171 passes no retry after a 400 invalid_grant or a known code at 400, and fails a retry', () => {
    for (const code of ['invalid_grant', 'refresh_token_expired']) {
      const once = checkPermanentFailureNotRetried('codex-0.171', [token(0, 400)], 400, code);
      expect(once.map((r) => [r.ruleId, r.verdict])).toEqual([['REFRESH.ERROR.002', 'pass'], ['REFRESH.ERROR.003', 'pass']]);
      const twice = checkPermanentFailureNotRetried('codex-0.171', [token(0, 400), token(1, 400)], 400, code);
      expect(twice.map((r) => [r.ruleId, r.verdict])).toEqual([['REFRESH.ERROR.002', 'fail'], ['REFRESH.ERROR.003', 'fail']]);
    }
    // Never reported under pr18811, where these classes are transient.
    expect(checkPermanentFailureNotRetried('pr18811', [token(0, 400), token(1, 400)], 400, 'invalid_grant').map((r) => r.ruleId)).not.toContain('REFRESH.ERROR.003');
  });

  it('REFRESH.EXTERNAL.001 passes silence and fails a token call from host-provided tokens, API keys or agent identities', () => {
    expect(checkNoTokenRefresh([call(0, 401)], 'chatgptAuthTokens')).toMatchObject({ ruleId: 'REFRESH.EXTERNAL.001', verdict: 'pass' });
    expect(checkNoTokenRefresh([call(0, 401), token(1)], 'agentIdentity')).toMatchObject({ ruleId: 'REFRESH.EXTERNAL.001', verdict: 'fail' });
    expect(checkNoTokenRefresh([token(0)], 'apiKey')).toMatchObject({ ruleId: 'REFRESH.EXTERNAL.001', verdict: 'fail' });
    try {
      checkNoTokenRefresh([], 'chatgpt');
      expect.unreachable();
    } catch (e) {
      expect(isInputError(e)).toBe(true);
    }
  });

  it('REFRESH.EXTERNAL.002 passes silence and fails a token call from personalAccessToken, headers or Bedrock auth', () => {
    for (const mode of ['personalAccessToken', 'headers', 'bedrockApiKey'] as const) {
      expect(checkNoTokenRefresh([call(0, 401)], mode), mode).toMatchObject({ ruleId: 'REFRESH.EXTERNAL.002', verdict: 'pass' });
      expect(checkNoTokenRefresh([call(0, 401), token(1)], mode), mode).toMatchObject({ ruleId: 'REFRESH.EXTERNAL.002', verdict: 'fail' });
    }
  });

  it('REFRESH.PERSIST.001 passes the sent token with a newer last_refresh and fails the old token', () => {
    const before = { accessToken: 'old', lastRefresh: '2025-01-01T00:00:00Z' };
    const sent = [call(0, 401), token(1), call(2, 200, 'new')];
    const accepted = (t: string) => t === 'new';
    expect(checkAuthJsonPersisted({ tokens: { access_token: 'new' }, last_refresh: '2025-01-02T00:00:00Z' }, before, sent, accepted).verdict).toBe('pass');
    expect(checkAuthJsonPersisted({ tokens: { access_token: 'old' }, last_refresh: '2025-01-02T00:00:00Z' }, before, sent, accepted).verdict).toBe('fail');
    expect(checkAuthJsonPersisted({ tokens: { access_token: 'new' }, last_refresh: '2025-01-01T00:00:00Z' }, before, sent, accepted).verdict).toBe('fail');
    const other = checkAuthJsonPersisted({ tokens: { access_token: 'secret-other' }, last_refresh: '2025-01-02T00:00:00Z' }, before, sent, accepted);
    expect(other.verdict).toBe('fail');
    expect(other.message).not.toContain('secret-other');
    // When the refresh came last, the stored token must be one the backend accepts.
    expect(checkAuthJsonPersisted({ tokens: { access_token: 'new' }, last_refresh: '2025-01-02T00:00:00Z' }, before, [call(0), token(1)], accepted).verdict).toBe('pass');
    expect(checkAuthJsonPersisted({ tokens: { access_token: 'made-up' }, last_refresh: '2025-01-02T00:00:00Z' }, before, [call(0), token(1)], accepted).verdict).toBe('fail');
    expect(checkAuthJsonPersisted('not json', before, sent, accepted).verdict).toBe('fail');
  });

  it('REFRESH.PERSIST.003 passes whole 0600 JSON (truncate-and-write is fine) and fails partial files, loose modes and stray leftovers', () => {
    // login/src/auth/storage.rs FileAuthStorage::save: truncate, write, mode 0600 (REFRESH.PERSIST.002's rename is withdrawn).
    expect(checkAuthJsonFile({ text: '{}', mode: 0o100600, siblings: ['auth.json'] })).toMatchObject({ ruleId: 'REFRESH.PERSIST.003', verdict: 'pass' });
    expect(checkAuthJsonFile({ text: '{}', mode: 0o600, siblings: ['auth.json', 'config.toml'] }).verdict).toBe('pass');
    expect(checkAuthJsonFile({ text: '{"tok', mode: 0o600, siblings: [] }).verdict).toBe('fail');
    expect(checkAuthJsonFile({ text: undefined, mode: 0o600, siblings: [] }).verdict).toBe('fail');
    expect(checkAuthJsonFile({ text: '{}', mode: 0o644, siblings: [] }).verdict).toBe('fail');
    expect(checkAuthJsonFile({ text: '{}', mode: 0o600, siblings: ['auth.json', 'auth.json.tmp-1'] }).verdict).toBe('fail');
  });
});

describe('the whole auth.json after a refresh', () => {
  const before = { OPENAI_API_KEY: 'sk-conformance-secret', auth_mode: 'chatgpt', tokens: { id_token: 'a', access_token: 'b', refresh_token: 'c', account_id: 'acc-1' }, last_refresh: '2026-01-01T00:00:00Z', unknown_field: 1 };
  const after = { ...before, tokens: { ...before.tokens, id_token: 'a2', access_token: 'b2', refresh_token: 'c2' }, last_refresh: '2026-01-02T00:00:00Z' };

  it('REFRESH.PERSIST.004 passes a rewrite that changed only the fields the refresh owns (and dropped an unknown field)', () => {
    const { unknown_field: _u, ...dropped } = after;
    expect(checkAuthJsonFieldsKept(before, after).verdict).toBe('pass');
    expect(checkAuthJsonFieldsKept(before, dropped).verdict).toBe('pass');
  });

  it('REFRESH.PERSIST.004 fails a rewrite that lost tokens.account_id, changed auth_mode or nulled the API key, fingerprinting the key', () => {
    const lost = checkAuthJsonFieldsKept(before, { ...after, tokens: { ...after.tokens, account_id: null } });
    expect(lost.verdict).toBe('fail');
    expect(lost.actual).toMatch(/tokens\.account_id "acc-1" -> null/);
    expect(checkAuthJsonFieldsKept(before, { ...after, auth_mode: 'apikey' }).verdict).toBe('fail');
    const key = checkAuthJsonFieldsKept(before, { ...after, OPENAI_API_KEY: null });
    expect(key.verdict).toBe('fail');
    expect(`${key.message} ${key.actual ?? ''}`).not.toContain('sk-conformance-secret');
    expect(key.actual).toMatch(/OPENAI_API_KEY fp:/);
  });
});
