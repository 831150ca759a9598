import { HttpResponse, type HttpHandler } from 'msw';
import { parseRefreshBody, verifyRefreshRequest } from '../verify/refresh-request.js';
import { reject } from '../verify/rejection.js';
import { defineRoute, isObject, parseJsonBody, type MockContext } from './route.js';

/**
 * OAuth on the auth host: `POST /oauth/token` (refresh, JSON or RFC 6749 form-encoded as
 * production accepts both; override env CODEX_REFRESH_TOKEN_URL_OVERRIDE) and `POST /oauth/revoke` (override env
 * CODEX_REVOKE_TOKEN_URL_OVERRIDE), codex-rs/login/src/auth/manager.rs.
 */
export function oauthHandlers(ctx: MockContext): HttpHandler[] {
  return [
    ...defineRoute(ctx, {
      endpoint: 'oauth.token',
      method: 'POST',
      paths: ['/oauth/token'],
      auth: 'none',
      handle: async (req) => {
        const parsed = parseRefreshBody(req.request.headers.get('content-type'), req.body);
        if (!parsed.ok) return parsed.rejection;
        const verdict = verifyRefreshRequest(req.ctx.backend, parsed.fields);
        if (!verdict.ok) return verdict.rejection;
        verdict.record.state = 'used';
        const tokens = await req.ctx.backend.issueChatgptTokens(verdict.record.accountId);
        return HttpResponse.json({
          id_token: tokens.idToken,
          access_token: tokens.accessToken,
          refresh_token: tokens.refreshToken,
          token_type: 'Bearer',
          expires_in: Math.max(0, Math.floor((tokens.expiresAt - req.ctx.backend.now()) / 1000)),
        });
      },
    }),
    ...defineRoute(ctx, {
      endpoint: 'oauth.revoke',
      method: 'POST',
      paths: ['/oauth/revoke'],
      auth: 'none',
      handle: (req) => {
        const parsed = parseJsonBody(req.body);
        if (!parsed.ok) return parsed.rejection;
        if (!isObject(parsed.value) || typeof parsed.value['token'] !== 'string') {
          return reject(400, 'invalid_request', 'The revoke body must be a JSON object with a string token.');
        }
        req.ctx.backend.revokeRefreshToken(parsed.value['token']);
        return HttpResponse.json({});
      },
    }),
  ];
}
