import { fingerprint } from '../../src/redact/fingerprint.js';
import type { CredentialAttribution } from '../../src/rules/observed-request.js';
import type { Account } from '../state/accounts.js';
import type { MockBackend } from '../state/mock-backend.js';
import { verifyAccessToken } from './access-token.js';
import { verifyAgentAssertionHeader } from './agent-assertion.js';
import { assertNever } from '../../src/assert-never.js';
import { reject, type Rejection } from './rejection.js';

/**
 * Which credentials an endpoint accepts, as the real services do:
 * - `codexBackend`: ChatGPT access tokens or AgentAssertion, never API keys; ChatGPT-Account-ID
 *   must match the credential's account and X-OpenAI-Fedramp must be `true` exactly for FedRAMP
 *   accounts (codex-rs/model-provider/src/bearer_auth_provider.rs, codex-rs/login/src/auth/manager.rs
 *   `uses_codex_backend`).
 * - `openaiApi`: API keys only (api.openai.com/v1).
 * - `optionalCodexBackend`: like codexBackend, but a request with no credential at all passes
 *   (it is still journaled as `none`).
 * - `modelCatalogue`: the Codex model catalogue (`/backend-api/codex/models`): codex-backend
 *   credentials, and API keys too (API-key model discovery, codex-rs/model-provider/src/models_endpoint.rs:
 *   "Codex metadata is served by the Codex backend").
 * - `modelApi`: a configured model endpoint (`{openai_base_url}/responses`, `/models`): API keys,
 *   and codex-backend credentials too, which the source sends there when `openai_base_url` is
 *   configured (codex-rs/model-provider-info/src/lib.rs `to_api_provider`). Whether the client
 *   should have sent them is for the rules to judge.
 */
export const AUTH_POLICIES = ['codexBackend', 'optionalCodexBackend', 'openaiApi', 'modelCatalogue', 'modelApi', 'none'] as const;
export type AuthPolicy = (typeof AUTH_POLICIES)[number];

export type Principal =
  | { readonly kind: 'chatgpt'; readonly account: Account }
  | { readonly kind: 'agent'; readonly account: Account }
  | { readonly kind: 'apiKey' }
  | { readonly kind: 'anonymous' };

export interface AuthOutcome {
  readonly credential: CredentialAttribution;
  readonly principal?: Principal;
  readonly rejection?: Rejection;
}

const NONE: CredentialAttribution = { kind: 'none' };

export async function identify(backend: MockBackend, headers: Headers): Promise<AuthOutcome> {
  const value = headers.get('authorization');
  if (value === null || value.trim() === '') {
    return { credential: NONE, rejection: reject(401, 'missing_credentials', 'No Authorization header was sent.') };
  }
  const match = /^([A-Za-z][A-Za-z0-9_-]*) +(\S+)$/.exec(value.trim());
  if (match === null) {
    return {
      credential: { kind: 'malformed', reason: 'authorization is not "<scheme> <credential>"' },
      rejection: reject(401, 'authorization_malformed', 'The Authorization header is not "<scheme> <credential>".'),
    };
  }
  const scheme = (match[1] as string).toLowerCase();
  const token = match[2] as string;
  if (scheme === 'agentassertion') {
    const result = verifyAgentAssertionHeader(backend, token);
    return result.ok
      ? { credential: result.credential, principal: { kind: 'agent', account: result.account } }
      : { credential: result.credential, rejection: result.rejection };
  }
  if (scheme !== 'bearer') {
    return {
      credential: { kind: 'malformed', reason: `unsupported scheme ${scheme.slice(0, 32)}` },
      rejection: reject(401, 'unsupported_scheme', 'Only Bearer and AgentAssertion credentials are accepted.'),
    };
  }
  const fp = fingerprint(token);
  if (token.startsWith('at-')) {
    const pat = backend.personalAccessTokens.get(token);
    const account = pat === undefined ? undefined : backend.accounts.get(pat.accountId);
    if (pat === undefined || pat.revoked || account === undefined) {
      return { credential: { kind: 'bearer', fingerprint: fp }, rejection: reject(401, 'invalid_personal_access_token', 'The personal access token was not issued by this backend or was revoked.') };
    }
    return {
      credential: { kind: 'bearer', fingerprint: fp, issued: { tokenKind: 'personalAccessToken', accountId: account.id, chatgptUserId: account.chatgptUserId, isFedramp: account.isFedramp, expired: false } },
      principal: { kind: 'chatgpt', account },
    };
  }
  if (token.startsWith('sk-')) {
    const key = backend.apiKeys.get(token);
    if (key === undefined || key.revoked) {
      return {
        credential: { kind: 'bearer', fingerprint: fp },
        rejection: reject(401, 'invalid_api_key', 'The API key was not issued by this backend or was revoked.'),
      };
    }
    return {
      credential: { kind: 'bearer', fingerprint: fp, issued: { tokenKind: 'apiKey', expired: false } },
      principal: { kind: 'apiKey' },
    };
  }
  const result = await verifyAccessToken(backend, token);
  const record = result.ok ? result.record : result.record;
  const account = record === undefined ? undefined : backend.accounts.get(record.accountId);
  const credential: CredentialAttribution = {
    kind: 'bearer',
    fingerprint: fp,
    ...(record === undefined
      ? {}
      : {
          issued: {
            tokenKind: record.kind,
            accountId: record.accountId,
            ...(account === undefined ? {} : { chatgptUserId: account.chatgptUserId, isFedramp: account.isFedramp }),
            expired: record.expiresAt <= backend.now(),
            lineage: record.lineage,
          },
        }),
  };
  return result.ok
    ? { credential, principal: { kind: 'chatgpt', account: result.account } }
    : { credential, rejection: result.rejection };
}

/** Account and FedRAMP header rules for a verified codex-backend principal. */
export function checkAccountHeaders(backend: MockBackend, headers: Headers, account: Account): Rejection | undefined {
  const accountHeader = headers.get('chatgpt-account-id');
  if (accountHeader === null) {
    if (backend.options.requireAccountHeader) {
      return reject(403, 'account_id_missing', 'ChatGPT-Account-ID is required for this credential\'s account.');
    }
  } else if (accountHeader !== account.id) {
    return reject(403, 'account_mismatch', 'ChatGPT-Account-ID does not match the credential\'s account.');
  }
  const fedramp = headers.get('x-openai-fedramp');
  if (account.isFedramp && fedramp === null) {
    return reject(403, 'fedramp_header_missing', 'X-OpenAI-Fedramp: true is required for a FedRAMP account.');
  }
  if (!account.isFedramp && fedramp !== null) {
    return reject(403, 'fedramp_header_unexpected', 'X-OpenAI-Fedramp was sent for an account that is not FedRAMP.');
  }
  if (fedramp !== null && fedramp !== 'true') {
    return reject(400, 'fedramp_header_invalid', 'X-OpenAI-Fedramp must be exactly "true".');
  }
  return undefined;
}

export async function authorize(backend: MockBackend, headers: Headers, policy: AuthPolicy): Promise<AuthOutcome> {
  switch (policy) {
    case 'none':
      return { credential: headers.has('authorization') ? (await identify(backend, headers)).credential : NONE, principal: { kind: 'anonymous' } };
    case 'openaiApi': {
      const outcome = await identify(backend, headers);
      if (outcome.rejection !== undefined || outcome.principal === undefined) return outcome;
      if (outcome.principal.kind !== 'apiKey') {
        return { credential: outcome.credential, rejection: reject(401, 'invalid_api_key', 'The OpenAI API accepts only API keys here.') };
      }
      return outcome;
    }
    case 'modelApi':
    case 'modelCatalogue':
    case 'codexBackend':
    case 'optionalCodexBackend': {
      if (policy === 'optionalCodexBackend' && !headers.has('authorization')) {
        return { credential: NONE, principal: { kind: 'anonymous' } };
      }
      const outcome = await identify(backend, headers);
      if (outcome.rejection !== undefined || outcome.principal === undefined) return outcome;
      const principal = outcome.principal;
      if (principal.kind === 'apiKey' && (policy === 'modelApi' || policy === 'modelCatalogue')) return outcome;
      if (principal.kind === 'apiKey') {
        return {
          credential: outcome.credential,
          rejection: reject(401, 'api_key_not_accepted', 'The Codex backend does not accept API keys; use ChatGPT or Agent Identity auth.'),
        };
      }
      if (principal.kind === 'anonymous') return outcome;
      const headerProblem = checkAccountHeaders(backend, headers, principal.account);
      if (headerProblem !== undefined) {
        const scheme = principal.kind === 'agent' ? ({ challengeScheme: 'AgentAssertion' } as const) : {};
        return { credential: outcome.credential, rejection: { ...headerProblem, ...scheme } };
      }
      return outcome;
    }
    default:
      return assertNever(policy, 'auth policy');
  }
}
