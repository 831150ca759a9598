import { HttpResponse, type HttpHandler } from 'msw';
import { assertNever } from '../src/assert-never.js';
import { ConformanceInputError } from '../src/errors.js';
import { backendPaths, STYLE_BASES } from './handlers/paths.js';
import { compilePattern, defineRoute, patternsFor, type MockContext, type ParsedRequest } from './handlers/route.js';
import { routeHandler } from './routes/msw-adapter.js';
import { responseEvents, sseStream, SSE_HEADERS } from './handlers/sse.js';
import { reject, rejectionReply } from './verify/rejection.js';
import { redeemRefreshToken } from './handlers/oauth.js';
import { registrationOf, TASK_REGISTER_PATHS } from './handlers/agent-identity.js';
import { registrationAnswerBody, type RegistrationAnswer } from './handlers/registration-answer.js';
import { jwksDocument, type JwksDocumentFlaw } from './handlers/jwks-document.js';
import { sealToEd25519 } from '../src/auth/agent-identity/sealed-box.js';

/**
 * Failure modes, one msw handler each, selected per case: in process with
 * `server.use(...faultHandlers(ctx, faults))` (removed by `resetHandlers()`), over the node:http
 * bridge with `POST /__control/faults`. A fault applies only to its `caseId` when one is given,
 * and only to paths matching `path` (a substring; default: the fault's natural endpoint).
 * Refresh error codes are the ones codex-rs/login/src/auth/manager.rs classifies.
 */
export const REFRESH_ERROR_CODES = ['refresh_token_expired', 'refresh_token_reused', 'refresh_token_invalidated'] as const;
export type RefreshErrorCode = (typeof REFRESH_ERROR_CODES)[number];

export type Fault =
  | { readonly kind: 'unauthorizedOnce'; readonly caseId?: string; readonly path?: string }
  | { readonly kind: 'tokenEndpointError'; readonly code: RefreshErrorCode | 'other'; readonly status?: number; readonly caseId?: string }
  | { readonly kind: 'rateLimited'; readonly retryAfterSeconds: number; readonly caseId?: string; readonly path?: string; readonly times?: number }
  | { readonly kind: 'serverError'; readonly status?: number; readonly caseId?: string; readonly path?: string; readonly times?: number }
  | { readonly kind: 'slowResponse'; readonly delayMs: number; readonly caseId?: string; readonly path?: string }
  | { readonly kind: 'truncatedSse'; readonly afterEvents?: number; readonly caseId?: string }
  | { readonly kind: 'jwksRotation'; readonly caseId?: string }
  /** The JWKS answered with one of the documents a verifier must not trust the identity on (JWKS_DOCUMENT_FLAWS, mocks/handlers/jwks-document.ts). */
  | { readonly kind: 'jwksDocument'; readonly document: JwksDocumentFlaw; readonly caseId?: string }
  /** 401 to every backend request that carries this Bearer token (a token revoked server-side, until the client refreshes). */
  | { readonly kind: 'unauthorizedToken'; readonly token: string; readonly caseId?: string }
  /** 403 once (a refusal that is not a 401: no refresh, no retry by the source). */
  | { readonly kind: 'forbiddenOnce'; readonly caseId?: string; readonly path?: string }
  /**
   * A reused refresh token revokes its whole login family (every refresh and access token of it),
   * as the OAuth 2.0 Security BCP recommends; the reuse itself still gets 401 `refresh_token_reused`.
   * Production's default (without this fault) refuses only the spent token.
   */
  | { readonly kind: 'revokeFamilyOnReuse'; readonly caseId?: string }
  /**
   * Workspace routing discovery (`GET {base}/wham/accounts/check`) answers 200 with a well-formed
   * list that lacks the selected account (the one the request's ChatGPT-Account-ID names): another
   * workspace only. From 0.156.0 the client must stop before any model request ("selected
   * workspace missing from routing discovery"; URL.ROUTING.002; corpus D3, openai/codex#47374).
   */
  | { readonly kind: 'routingSelectedMissing'; readonly caseId?: string }
  // Issue 20, agent identity (helper "mutagent"): adversarial registration answers.
  /** Every task registration of the case verified and answered with one of REGISTRATION_ANSWERS. */
  | { readonly kind: 'registrationAnswer'; readonly answer: RegistrationAnswer; readonly caseId?: string }
  /** A status with an empty body (`times` hits; default every one): a 4xx or 5xx without a body. */
  | { readonly kind: 'bareStatus'; readonly status: number; readonly caseId?: string; readonly path?: string; readonly times?: number };


export const FAULT_KINDS = [
  'unauthorizedOnce',
  'tokenEndpointError',
  'rateLimited',
  'serverError',
  'slowResponse',
  'truncatedSse',
  'jwksRotation',
  'jwksDocument',
  'unauthorizedToken',
  'forbiddenOnce',
  'revokeFamilyOnReuse',
  'routingSelectedMissing',
  'registrationAnswer',
  'bareStatus',
] as const satisfies readonly Fault['kind'][];

const ANY_BACKEND = [`${STYLE_BASES.wham}/*`, `${STYLE_BASES.codexApi}/*`, '/v1/*', '/api/accounts/*'];
const RESPONSES = [`${STYLE_BASES.wham}/codex/responses`, `${STYLE_BASES.codexApi}/codex/responses`, '/v1/responses'];
// Every JWKS path the agent-identity handler serves (mocks/handlers/agent-identity.ts), so a fault reaches every base spelling.
const JWKS = [`${STYLE_BASES.wham}/wham/agent-identities/jwks`, `${STYLE_BASES.codexApi}/agent-identities/jwks`, '/agent-identities/jwks', '/*/agent-identities/jwks'];

/** A budget of `times` hits (Infinity when absent) and the case/path selector. */
function selector(fault: { caseId?: string; path?: string }, times = Number.POSITIVE_INFINITY) {
  let left = times;
  return (request: ParsedRequest, caseId: string | undefined): boolean => {
    if (fault.caseId !== undefined && fault.caseId !== caseId) return false;
    if (fault.path !== undefined && !new URL(request.url).pathname.includes(fault.path)) return false;
    if (left <= 0) return false;
    left -= 1;
    return true;
  };
}

export function faultHandlers(ctx: MockContext, fault: Fault): HttpHandler[] {
  switch (fault.kind) {
    case 'unauthorizedOnce':
      return defineRoute(ctx, {
        endpoint: 'fault.unauthorizedOnce',
        method: 'ALL',
        paths: ANY_BACKEND,
        auth: 'none',
        when: selector(fault, 1),
        handle: () => reject(401, 'token_expired', 'Injected fault: the access token is no longer accepted (401 once).'),
      });
    case 'tokenEndpointError': {
      const status = fault.status ?? 401;
      const code = fault.code === 'other' ? 'invalid_grant' : fault.code;
      return defineRoute(ctx, {
        endpoint: 'fault.tokenEndpointError',
        method: 'POST',
        paths: ['/oauth/token'],
        auth: 'none',
        when: selector(fault),
        handle: () =>
          HttpResponse.json({ error: { code, message: `Injected fault: ${code}.` } }, { status }),
      });
    }
    case 'rateLimited':
      return defineRoute(ctx, {
        endpoint: 'fault.rateLimited',
        method: 'ALL',
        paths: ANY_BACKEND,
        auth: 'none',
        when: selector(fault, fault.times),
        handle: () =>
          rejectionReply(
            reject(429, 'rate_limit_exceeded', 'Injected fault: too many requests.', {
              headers: { 'retry-after': String(fault.retryAfterSeconds) },
            }),
          ),
      });
    case 'serverError': {
      const status = fault.status ?? 503;
      return defineRoute(ctx, {
        endpoint: 'fault.serverError',
        method: 'ALL',
        paths: ANY_BACKEND,
        auth: 'none',
        when: selector(fault, fault.times),
        handle: () => reject(status, 'server_error', `Injected fault: upstream failure ${status}.`),
      });
    }
    case 'slowResponse': {
      // Delays, then falls through so the real handler answers (and journals) the request.
      return [routeHandler(ctx, { kind: 'delay', patterns: patternsFor(ctx, ANY_BACKEND).map(compilePattern), when: selector(fault), delayMs: fault.delayMs })];
    }
    case 'truncatedSse':
      return defineRoute(ctx, {
        endpoint: 'fault.truncatedSse',
        method: 'POST',
        paths: RESPONSES,
        auth: 'none',
        when: selector(fault),
        handle: () =>
          new HttpResponse(
            sseStream(responseEvents('resp_truncated', 'mock', 'cut short'), { truncateAfter: fault.afterEvents ?? 1 }),
            { status: 200, headers: SSE_HEADERS },
          ),
      });
    case 'jwksRotation': {
      let rotated = false;
      return defineRoute(ctx, {
        endpoint: 'fault.jwksRotation',
        method: 'GET',
        paths: JWKS,
        auth: 'none',
        when: selector(fault),
        handle: async (req) => {
          if (!rotated) {
            rotated = true;
            await req.ctx.backend.agentIdentityKeys.rotate({ retainPrevious: false });
          }
          return HttpResponse.json(req.ctx.backend.agentIdentityKeys.jwks());
        },
      });
    }
    case 'jwksDocument':
      return defineRoute(ctx, {
        endpoint: 'fault.jwksDocument',
        method: 'GET',
        paths: JWKS,
        auth: 'none',
        when: selector(fault),
        handle: async (req) => jwksDocument(fault.document, req.ctx.backend),
      });
    case 'unauthorizedToken': {
      const select = selector(fault);
      return defineRoute(ctx, {
        endpoint: 'fault.unauthorizedToken',
        method: 'ALL',
        paths: ANY_BACKEND,
        auth: 'none',
        when: (request, caseId) => request.headers.get('authorization') === `Bearer ${fault.token}` && select(request, caseId),
        handle: () => reject(401, 'token_revoked', 'Injected fault: this access token is no longer accepted (401 until refreshed).'),
      });
    }
    case 'forbiddenOnce':
      return defineRoute(ctx, {
        endpoint: 'fault.forbiddenOnce',
        method: 'ALL',
        paths: ANY_BACKEND,
        auth: 'none',
        when: selector(fault, 1),
        handle: () => reject(403, 'forbidden', 'Injected fault: the request is forbidden (403 once).'),
      });
    case 'revokeFamilyOnReuse':
      return defineRoute(ctx, {
        endpoint: 'oauth.token',
        method: 'POST',
        paths: ['/oauth/token'],
        auth: 'none',
        when: selector(fault),
        handle: (req) => redeemRefreshToken(req, { revokeFamilyOnReuse: true }),
      });
    case 'routingSelectedMissing':
      return defineRoute(ctx, {
        endpoint: 'fault.routingSelectedMissing',
        method: 'GET',
        paths: backendPaths({ wham: '/wham/accounts/check', codexApi: '/accounts/check' }),
        auth: 'none',
        when: selector(fault),
        handle: (req) => {
          const origin = req.ctx.backend.options.workspaceBackendOrigin ?? req.url.origin;
          const selected = req.request.headers.get('chatgpt-account-id') ?? '';
          return HttpResponse.json({ accounts: [{ id: `not-${selected || 'selected'}`, plan_type: 'team', name: 'Other Workspace', structure: 'workspace', workspace_backend_origin: origin, account_routing_override: 'NO_CONSTRAINT' }] });
        },
      });
    case 'registrationAnswer':
      return defineRoute(ctx, {
        endpoint: 'fault.registrationAnswer',
        method: 'POST',
        paths: [...TASK_REGISTER_PATHS],
        auth: 'none',
        when: selector(fault),
        handle: (req) => {
          const runtimeId = req.params['runtimeId'] ?? '';
          const result = registrationOf(req.ctx.backend, runtimeId, req.body);
          if (!result.ok) return result.rejection;
          const runtime = req.ctx.backend.runtimes.get(runtimeId)!;
          const body = registrationAnswerBody(fault.answer, result.task.taskId, (plain) => Buffer.from(sealToEd25519(plain, runtime.publicKeyRaw)).toString('base64'));
          return 'text' in body ? new HttpResponse(body.text, { status: 200, headers: { 'content-type': 'text/plain' } }) : HttpResponse.json(body.json as Record<string, unknown>);
        },
      });
    case 'bareStatus':
      return defineRoute(ctx, {
        endpoint: 'fault.bareStatus',
        method: 'ALL',
        paths: ANY_BACKEND,
        auth: 'none',
        when: selector(fault, fault.times),
        handle: () => new HttpResponse(null, { status: fault.status }),
      });
    default:
      return assertNever(fault, 'fault');
  }
}

/** Validates fault descriptions that arrive as JSON (control endpoint, scenario files). */
export function parseFaults(value: unknown): Fault[] {
  const bad = (why: string): never => {
    throw new ConformanceInputError('BAD_SCENARIO', `Fault list is invalid: ${why}.`, `Use objects with kind one of ${FAULT_KINDS.join(', ')}.`);
  };
  if (!Array.isArray(value)) return bad('expected a JSON array');
  return value.map((f: unknown) => {
    if (typeof f !== 'object' || f === null || Array.isArray(f)) return bad('an entry is not an object');
    const kind = (f as { kind?: unknown }).kind;
    if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) return bad(`unknown kind ${JSON.stringify(kind)}`);
    return f as Fault;
  });
}
