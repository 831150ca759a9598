import { HttpResponse, type HttpHandler } from 'msw';
import { fingerprint } from '../../src/redact/fingerprint.js';
import type { RefreshLineage, RefreshOutcome } from '../../src/rules/observed-request.js';
import { parseRefreshBody, verifyRefreshRequest } from '../verify/refresh-request.js';
import { reject } from '../verify/rejection.js';
import { defineRoute, isObject, parseJsonBody, type MockContext, type RouteRequest, type RouteResult } from './route.js';

/**
 * OAuth on the auth host: `POST /oauth/token` (refresh, JSON or RFC 6749 form-encoded as
 * production accepts both; override env CODEX_REFRESH_TOKEN_URL_OVERRIDE) and `POST /oauth/revoke` (override env
 * CODEX_REVOKE_TOKEN_URL_OVERRIDE), codex-rs/login/src/auth/manager.rs.
 *
 * Every token request is journaled with the presented refresh token's lineage (family,
 * generation, and what the mock did with it: rotated, reused, revoked, expired). A redemption
 * mints the next generation of the same family. Presenting a spent token gets production's
 * answer, 401 `refresh_token_reused`; with `revokeFamilyOnReuse` (the fault of that name) the
 * mock also revokes the whole family, as the OAuth 2.0 Security BCP recommends.
 */
export interface RedeemOptions {
  readonly revokeFamilyOnReuse: boolean;
}

const OUTCOME_OF_CODE: Readonly<Record<string, RefreshOutcome>> = {
  refresh_token_reused: 'reused',
  refresh_token_invalidated: 'revoked',
  refresh_token_expired: 'expired',
};

/** Redeems the presented refresh token (the token route, and the `revokeFamilyOnReuse` fault). */
export async function redeemRefreshToken(req: RouteRequest, opts: RedeemOptions): Promise<RouteResult> {
  const parsed = parseRefreshBody(req.request.headers.get('content-type'), req.body);
  if (!parsed.ok) return parsed.rejection;
  const backend = req.ctx.backend;
  const verdict = verifyRefreshRequest(backend, parsed.fields);
  const presented = parsed.fields['refresh_token'];
  const refreshFingerprint = typeof presented === 'string' ? fingerprint(presented) : '';
  if (!verdict.ok) {
    const record = verdict.record;
    const outcome = OUTCOME_OF_CODE[verdict.rejection.code];
    if (record !== undefined && outcome !== undefined) {
      const revoke = outcome === 'reused' && opts.revokeFamilyOnReuse;
      if (revoke) backend.revokeFamily(record.lineage.family);
      const spentBy = record.spentBy;
      req.noteRefresh({
        ...record.lineage,
        refreshFingerprint,
        outcome,
        ...(outcome === 'reused' && spentBy !== undefined ? { spentBy: { generation: spentBy.generation, ...(spentBy.seq === undefined ? {} : { seq: spentBy.seq }) } } : {}),
        ...(revoke ? { familyRevoked: true } : {}),
      });
    }
    return verdict.rejection;
  }
  const record = verdict.record;
  record.state = 'used';
  const tokens = await backend.issueChatgptTokens(record.accountId, { family: record.lineage.family });
  const generation = record.lineage.generation + 1;
  const spentBy: { readonly generation: number; seq?: number } = { generation };
  record.spentBy = spentBy;
  const lineage: RefreshLineage = {
    ...record.lineage,
    refreshFingerprint,
    outcome: 'rotated',
    minted: { generation, refreshFingerprint: fingerprint(tokens.refreshToken), accessFingerprint: fingerprint(tokens.accessToken) },
  };
  req.noteRefresh(lineage, (seq) => {
    spentBy.seq = seq;
  });
  return HttpResponse.json({
    id_token: tokens.idToken,
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    token_type: 'Bearer',
    expires_in: Math.max(0, Math.floor((tokens.expiresAt - backend.now()) / 1000)),
  });
}

export function oauthHandlers(ctx: MockContext): HttpHandler[] {
  return [
    ...defineRoute(ctx, {
      endpoint: 'oauth.token',
      method: 'POST',
      paths: ['/oauth/token'],
      auth: 'none',
      handle: (req) => redeemRefreshToken(req, { revokeFamilyOnReuse: false }),
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
