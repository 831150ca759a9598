import type { HttpHandler } from 'msw';
import { sealToEd25519 } from '../../src/auth/agent-identity/sealed-box.js';
import { verifyTaskRegistration, type TaskRegistrationResult } from '../verify/task-registration.js';
import type { MockBackend } from '../state/mock-backend.js';
import { backendPaths } from './paths.js';
import { isEncryptedShape, registrationBody } from './registration-shape.js';
import { defineRoute, parseJsonBody, reply, type MockContext } from './route.js';
import { reject } from '../verify/rejection.js';
import { planClaimOf } from '../state/accounts.js';

/**
 * Agent Identity endpoints (codex-rs/agent-identity/src/lib.rs):
 * JWKS at `{base}/wham/agent-identities/jwks` (`/backend-api`), `{base}/agent-identities/jwks`
 * (`/api/codex`), else `{base}/api/codex/agent-identities/jwks`; task registration at
 * `{authapi}/v1/agent/{runtime}/task/register`, where authapi is the production accounts API
 * (`https://auth.openai.com/api/accounts`) or, for loopback, the ChatGPT base URL itself.
 */
export const TASK_REGISTER_PATHS = [
  '/api/accounts/v1/agent/:runtimeId/task/register',
  '/backend-api/v1/agent/:runtimeId/task/register',
  '/api/codex/v1/agent/:runtimeId/task/register',
  '/v1/agent/:runtimeId/task/register',
] as const;

export function agentIdentityHandlers(ctx: MockContext): HttpHandler[] {
  return [
    ...defineRoute(ctx, {
      endpoint: 'agentIdentity.jwks',
      method: 'GET',
      // Also under any longer base (`/backend-api/codex`, a remote-control suffix): the client appends
      // the JWKS path to the base as written (`agent_identity_jwks_url`), and the rules judge that URL
      // (URL.AGENT.*); the mock serves the key set there so the requests after it can be judged too.
      paths: [...backendPaths({ wham: '/wham/agent-identities/jwks', codexApi: '/agent-identities/jwks' }), '/agent-identities/jwks', '/*/agent-identities/jwks'],
      auth: 'none',
      handle: (req) => reply.json(req.ctx.backend.agentIdentityKeys.jwks()),
    }),
    ...defineRoute(ctx, {
      // Personal access token metadata (codex-rs/login/src/auth/personal_access_token.rs):
      // GET {authapi}/v1/user-auth-credential/whoami with Bearer <PAT>.
      endpoint: 'authapi.whoami',
      method: 'GET',
      paths: ['/api/accounts/v1/user-auth-credential/whoami', '/v1/user-auth-credential/whoami'],
      auth: 'none',
      handle: (req) => {
        const token = /^Bearer +(\S+)$/i.exec(req.request.headers.get('authorization') ?? '')?.[1];
        const pat = token === undefined ? undefined : req.ctx.backend.personalAccessTokens.get(token);
        const account = pat === undefined || pat.revoked ? undefined : req.ctx.backend.accounts.get(pat.accountId);
        if (account === undefined) return reject(401, 'invalid_personal_access_token', 'whoami needs a personal access token this backend issued (Authorization: Bearer at-...).');
        return reply.json({
          email: account.email,
          chatgpt_user_id: account.chatgptUserId,
          chatgpt_account_id: account.id,
          chatgpt_plan_type: planClaimOf(account),
          chatgpt_account_is_fedramp: account.isFedramp,
        });
      },
    }),
    ...defineRoute(ctx, {
      endpoint: 'agentIdentity.task.register',
      method: 'POST',
      paths: TASK_REGISTER_PATHS,
      auth: 'none',
      handle: (req) => {
        const runtimeId = req.params['runtimeId'] ?? '';
        const result = registrationOf(req.ctx.backend, runtimeId, req.body);
        if (!result.ok) return result.rejection;
        const runtime = req.ctx.backend.runtimes.get(runtimeId);
        const shape = req.ctx.backend.registrationShapeOf(runtimeId);
        if (isEncryptedShape(shape) && runtime === undefined) return reply.json({ task_id: result.task.taskId });
        const sealed = (): string => Buffer.from(sealToEd25519(new TextEncoder().encode(result.task.taskId), runtime!.publicKeyRaw)).toString('base64');
        return reply.json(registrationBody(shape, result.task.taskId, sealed));
      },
    }),
  ];
}

/** A task registration's body parsed as JSON and verified: the first steps of the route and of the `registrationAnswer` fault. */
export function registrationOf(backend: MockBackend, runtimeId: string, body: Uint8Array): TaskRegistrationResult {
  const parsed = parseJsonBody(body);
  return parsed.ok ? verifyTaskRegistration(backend, runtimeId, parsed.value) : parsed;
}
