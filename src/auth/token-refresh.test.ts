import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CodexAuth } from './codex-auth.js';
import { parseIdToken } from './id-token.js';
import {
  CODEX_OAUTH_CLIENT_ID,
  DEFAULT_REFRESH_TOKEN_URL,
  classifyRefreshFailure,
  isStaleForProactiveRefresh,
  refreshChatgptTokens,
  refreshErrorCode,
  refreshTokenUrl,
} from './token-refresh.js';
import { unsignedJwt } from './unsigned-jwt.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const URL_PROD = DEFAULT_REFRESH_TOKEN_URL;
const URL_LOCAL = 'http://127.0.0.1:9/oauth/token';

describe('refreshChatgptTokens', () => {
  it('POSTs JSON with client_id, grant_type=refresh_token and the refresh token', async () => {
    let seen: { contentType: string | null; body: unknown } | undefined;
    server.use(
      http.post(URL_PROD, async ({ request }) => {
        seen = { contentType: request.headers.get('content-type'), body: await request.json() };
        return HttpResponse.json({ id_token: 'i.d.t', access_token: 'at-new', refresh_token: 'rt-new' });
      }),
    );
    const result = await refreshChatgptTokens({ tokenUrl: URL_PROD, refreshToken: 'rt-old', fetch });
    expect(seen?.contentType).toBe('application/json');
    expect(seen?.body).toEqual({ client_id: CODEX_OAUTH_CLIENT_ID, grant_type: 'refresh_token', refresh_token: 'rt-old' });
    expect(result).toEqual({ kind: 'refreshed', tokens: { idToken: 'i.d.t', accessToken: 'at-new', refreshToken: 'rt-new' } });
  });

  it('uses app_EMoamEEZ73f0CkXaXp7hrann as the client id', () => {
    expect(CODEX_OAUTH_CLIENT_ID).toBe('app_EMoamEEZ73f0CkXaXp7hrann');
  });

  it('accepts a response carrying only some tokens', async () => {
    server.use(http.post(URL_LOCAL, () => HttpResponse.json({ access_token: 'only-at' })));
    expect(await refreshChatgptTokens({ tokenUrl: URL_LOCAL, refreshToken: 'rt', fetch })).toEqual({
      kind: 'refreshed',
      tokens: { accessToken: 'only-at' },
    });
  });

  it('sends a scope only when asked (older clients)', async () => {
    let body: unknown;
    server.use(
      http.post(URL_LOCAL, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({});
      }),
    );
    await refreshChatgptTokens({ tokenUrl: URL_LOCAL, refreshToken: 'rt', fetch, scope: 'openid profile email' });
    expect(body).toMatchObject({ scope: 'openid profile email' });
  });

  it.each([
    [{ error: { code: 'refresh_token_expired' } }, 401, 'expired', true],
    [{ error: 'refresh_token_reused' }, 400, 'reused', true],
    [{ code: 'REFRESH_TOKEN_INVALIDATED' }, 400, 'revoked', true],
    [{ error: { code: 'something_else' } }, 401, 'other', true],
    [{ error: { code: 'something_else' } }, 500, 'other', false],
    ['', 503, 'other', false],
  ] as const)('classifies %j with status %i as %s (permanent %s)', async (body, status, reason, permanent) => {
    server.use(
      http.post(URL_LOCAL, () =>
        typeof body === 'string' ? new HttpResponse(body, { status }) : HttpResponse.json(body, { status }),
      ),
    );
    const result = await refreshChatgptTokens({ tokenUrl: URL_LOCAL, refreshToken: 'rt', fetch });
    expect(result).toMatchObject({ kind: 'failed', reason, status, permanent });
  });

  it('a network error is a transient failure with no status', async () => {
    server.use(http.post(URL_LOCAL, () => HttpResponse.error()));
    expect(await refreshChatgptTokens({ tokenUrl: URL_LOCAL, refreshToken: 'rt', fetch })).toEqual({
      kind: 'failed',
      reason: 'other',
      status: null,
      permanent: false,
    });
  });

  it('a 200 that is not JSON, or has non-string tokens, is a transient failure', async () => {
    server.use(http.post(URL_LOCAL, () => new HttpResponse('<html>', { status: 200 })));
    expect(await refreshChatgptTokens({ tokenUrl: URL_LOCAL, refreshToken: 'rt', fetch })).toMatchObject({
      kind: 'failed',
      permanent: false,
    });
    server.use(http.post(URL_LOCAL, () => HttpResponse.json({ access_token: 5 })));
    expect(await refreshChatgptTokens({ tokenUrl: URL_LOCAL, refreshToken: 'rt', fetch })).toMatchObject({
      kind: 'failed',
      permanent: false,
    });
  });
});

describe('refresh URL and error codes', () => {
  it('CODEX_REFRESH_TOKEN_URL_OVERRIDE wins; empty means unset', () => {
    expect(refreshTokenUrl({})).toBe('https://auth.openai.com/oauth/token');
    expect(refreshTokenUrl({ CODEX_REFRESH_TOKEN_URL_OVERRIDE: URL_LOCAL })).toBe(URL_LOCAL);
    expect(refreshTokenUrl({ CODEX_REFRESH_TOKEN_URL_OVERRIDE: '' })).toBe(DEFAULT_REFRESH_TOKEN_URL);
  });

  it('extracts the code from error.code, then error (string), then code', () => {
    expect(refreshErrorCode('{"error":{"code":"a"},"code":"b"}')).toBe('a');
    expect(refreshErrorCode('{"error":"c","code":"b"}')).toBe('c');
    expect(refreshErrorCode('{"error":{"message":"m"},"code":"b"}')).toBe('b');
    expect(refreshErrorCode('not json')).toBeUndefined();
    expect(refreshErrorCode('   ')).toBeUndefined();
    expect(classifyRefreshFailure(undefined)).toBe('other');
  });
});

describe('isStaleForProactiveRefresh', () => {
  const now = new Date('2025-03-10T00:00:00Z');
  function chatgpt(accessToken: string, lastRefresh?: string): CodexAuth {
    return {
      mode: 'chatgpt',
      tokens: { idToken: parseIdToken(unsignedJwt({})), accessToken, refreshToken: 'rt' },
      ...(lastRefresh !== undefined && { lastRefresh }),
    };
  }

  it('is stale when the access token JWT has expired, whatever last_refresh says', () => {
    const expired = unsignedJwt({ exp: Math.floor(now.getTime() / 1000) - 1 });
    const valid = unsignedJwt({ exp: Math.floor(now.getTime() / 1000) + 60 });
    expect(isStaleForProactiveRefresh(chatgpt(expired, now.toISOString()), now)).toBe(true);
    expect(isStaleForProactiveRefresh(chatgpt(valid, '2020-01-01T00:00:00Z'), now)).toBe(false);
  });

  it('falls back to last_refresh older than 8 days for opaque access tokens', () => {
    expect(isStaleForProactiveRefresh(chatgpt('opaque', '2025-03-01T23:59:59Z'), now)).toBe(true);
    expect(isStaleForProactiveRefresh(chatgpt('opaque', '2025-03-02T00:00:01Z'), now)).toBe(false);
    expect(isStaleForProactiveRefresh(chatgpt('opaque'), now)).toBe(false);
  });

  it('never refreshes other modes proactively', () => {
    expect(isStaleForProactiveRefresh({ mode: 'apiKey', apiKey: 'k' }, now)).toBe(false);
    expect(
      isStaleForProactiveRefresh(
        { mode: 'chatgptAuthTokens', accessToken: unsignedJwt({ exp: 1 }), accountId: 'a', isFedramp: false },
        now,
      ),
    ).toBe(false);
  });
});
