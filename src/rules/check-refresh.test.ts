import { describe, expect, it } from 'vitest';
import { isInputError } from '../errors.js';
import {
  checkAuthJsonFile,
  checkAuthJsonPersisted,
  checkNoTokenRefresh,
  checkProactiveRefresh,
  checkRefreshErrorClass,
  checkUnauthorizedRecovery,
  expectedFailureClass,
} from './check-refresh.js';
import { observed } from './test-fixtures.js';

const token = (seq: number) => observed({ seq, method: 'POST', url: 'http://127.0.0.1:4010/oauth/token' });
const call = (seq: number, status = 200) => observed({ seq, url: 'http://127.0.0.1:4010/backend-api/wham/usage', verdict: { status, handled: true } });

describe('refresh checks', () => {
  it('REFRESH.PROACTIVE.001 passes one refresh before the request for stale tokens and none for fresh ones', () => {
    expect(checkProactiveRefresh([token(0), call(1)], true).verdict).toBe('pass');
    expect(checkProactiveRefresh([call(0)], false).verdict).toBe('pass');
  });

  it('REFRESH.PROACTIVE.001 fails a late, missing or needless refresh', () => {
    expect(checkProactiveRefresh([call(0), token(1)], true).message).toContain('after the backend request');
    expect(checkProactiveRefresh([call(0)], true).verdict).toBe('fail');
    expect(checkProactiveRefresh([token(0), call(1)], false).verdict).toBe('fail');
  });

  it('REFRESH.401.001 passes 401, refresh, retry and fails no refresh or repeated retries', () => {
    expect(checkUnauthorizedRecovery([call(0, 401), token(1), call(2)]).verdict).toBe('pass');
    expect(checkUnauthorizedRecovery([call(0, 401), call(1)]).verdict).toBe('fail');
    expect(checkUnauthorizedRecovery([call(0, 401), token(1), call(2, 401), token(3), call(4)]).verdict).toBe('fail');
    expect(checkUnauthorizedRecovery([call(0)]).verdict).toBe('fail');
  });

  it('REFRESH.ERROR.001 maps expired, reused and invalidated and fails a wrong class', () => {
    expect(expectedFailureClass('REFRESH_TOKEN_INVALIDATED')).toBe('revoked');
    expect(expectedFailureClass('server_error')).toBe('other');
    expect(checkRefreshErrorClass('refresh_token_reused', 'reused').verdict).toBe('pass');
    expect(checkRefreshErrorClass('refresh_token_expired', 'other').verdict).toBe('fail');
  });

  it('REFRESH.EXTERNAL.001 passes silence and fails a token call from host-provided tokens', () => {
    expect(checkNoTokenRefresh([call(0, 401)], 'chatgptAuthTokens').verdict).toBe('pass');
    expect(checkNoTokenRefresh([call(0, 401), token(1)], 'agentIdentity').verdict).toBe('fail');
    try {
      checkNoTokenRefresh([], 'chatgpt');
      expect.unreachable();
    } catch (e) {
      expect(isInputError(e)).toBe(true);
    }
  });

  it('REFRESH.PERSIST.001 passes the sent token with a newer last_refresh and fails the old token', () => {
    const before = { accessToken: 'old', lastRefresh: '2025-01-01T00:00:00Z' };
    expect(checkAuthJsonPersisted({ tokens: { access_token: 'new' }, last_refresh: '2025-01-02T00:00:00Z' }, before, 'new').verdict).toBe('pass');
    expect(checkAuthJsonPersisted({ tokens: { access_token: 'old' }, last_refresh: '2025-01-02T00:00:00Z' }, before, 'new').verdict).toBe('fail');
    expect(checkAuthJsonPersisted({ tokens: { access_token: 'new' }, last_refresh: '2025-01-01T00:00:00Z' }, before, 'new').verdict).toBe('fail');
    const other = checkAuthJsonPersisted({ tokens: { access_token: 'secret-other' }, last_refresh: '2025-01-02T00:00:00Z' }, before, 'new');
    expect(other.message).not.toContain('secret-other');
  });

  it('REFRESH.PERSIST.002 passes whole 0600 JSON and fails partial files, loose modes and temp leftovers', () => {
    expect(checkAuthJsonFile({ text: '{}', mode: 0o100600, siblings: ['auth.json'] }).verdict).toBe('pass');
    expect(checkAuthJsonFile({ text: '{"tok', mode: 0o600, siblings: [] }).verdict).toBe('fail');
    expect(checkAuthJsonFile({ text: '{}', mode: 0o644, siblings: [] }).verdict).toBe('fail');
    expect(checkAuthJsonFile({ text: '{}', mode: 0o600, siblings: ['auth.json', 'auth.json.tmp-1'] }).verdict).toBe('fail');
  });
});
