import { HttpResponse, type HttpHandler } from 'msw';
import { reject } from '../verify/rejection.js';
import { defineRoute, type MockContext } from './route.js';

/**
 * Personal access token metadata: `GET {authapi}/v1/user-auth-credential/whoami` with
 * `Authorization: Bearer <PAT>` (authapi `https://auth.openai.com/api/accounts`, override env
 * CODEX_AUTHAPI_BASE_URL; codex-rs/login/src/auth/personal_access_token.rs). Answers
 * `{email, chatgpt_user_id, chatgpt_account_id, chatgpt_plan_type, chatgpt_account_is_fedramp}`
 * for a PAT the mock issued; 401 otherwise. No account header is expected: the client learns the
 * account here.
 */
export function personalAccessTokenHandlers(ctx: MockContext): HttpHandler[] {
  return defineRoute(ctx, {
    endpoint: 'authapi.whoami',
    method: 'GET',
    paths: ['/api/accounts/v1/user-auth-credential/whoami'],
    auth: 'none',
    handle: (req) => {
      const m = /^Bearer +(\S+)$/.exec(req.request.headers.get('authorization') ?? '');
      const pat = m === null ? undefined : req.ctx.backend.personalAccessTokens.get(m[1] as string);
      const account = pat === undefined || pat.revoked ? undefined : req.ctx.backend.accounts.get(pat.accountId);
      if (account === undefined) return reject(401, 'invalid_personal_access_token', 'whoami needs a personal access token this backend issued.');
      return HttpResponse.json({
        email: account.email,
        chatgpt_user_id: account.chatgptUserId,
        chatgpt_account_id: account.id,
        chatgpt_plan_type: account.plan,
        chatgpt_account_is_fedramp: account.isFedramp,
      });
    },
  });
}
