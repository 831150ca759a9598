/**
 * Hand-built fixtures for the rule checkers' tests: observed requests and AgentAssertion headers
 * built from the rules (never from the mock or the reference client), with knobs to break each
 * property one at a time.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { CodexAuth } from '../auth/codex-auth.js';
import type { ObservedRequest } from './observed-request.js';

export function observed(partial: Partial<ObservedRequest> & Pick<ObservedRequest, 'url'>): ObservedRequest {
  return {
    seq: 0,
    time: '2025-01-01T00:00:00.000Z',
    method: 'GET',
    headers: {},
    credential: { kind: 'none' },
    verdict: { status: 200, handled: true },
    ...partial,
  };
}

export interface AgentKeys {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
  /** PKCS#8 DER, standard base64: the form the identity JWT carries. */
  readonly pkcs8Base64: string;
}

export function agentKeys(): AgentKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pkcs8Base64 = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  return { publicKey, privateKey, pkcs8Base64 };
}

export interface AssertionParts {
  agentRuntimeId: string;
  taskId: string;
  timestamp: string;
  /** Overrides the signed message (to sign the wrong thing). */
  signedMessage?: string;
  /** Overrides the signature entirely. */
  signature?: string;
  /** Overrides the JSON object (key order, extra keys). */
  payload?: Record<string, unknown>;
  /** Keep `=` padding on the base64url token. */
  padded?: boolean;
}

export function assertionToken(keys: AgentKeys, parts: AssertionParts): string {
  const message = parts.signedMessage ?? `${parts.agentRuntimeId}:${parts.taskId}:${parts.timestamp}`;
  const signature = parts.signature ?? sign(null, Buffer.from(message, 'utf8'), keys.privateKey).toString('base64');
  const payload = parts.payload ?? {
    agent_runtime_id: parts.agentRuntimeId,
    signature,
    task_id: parts.taskId,
    timestamp: parts.timestamp,
  };
  const token = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  if (!parts.padded) return token;
  return token + '='.repeat((4 - (token.length % 4)) % 4 || 2);
}

export const AUTHS = {
  apiKey: { mode: 'apiKey', apiKey: 'sk-test-key-000' },
  chatgpt: {
    mode: 'chatgpt',
    tokens: {
      idToken: { isFedramp: false, rawJwt: 'h.p.s', chatgptUserId: 'user-1', planType: 'plus', chatgptAccountId: 'acct-1' },
      accessToken: 'access-token-1',
      refreshToken: 'refresh-token-1',
      accountId: 'acct-1',
    },
    lastRefresh: '2025-01-01T00:00:00Z',
  },
  chatgptNoAccount: {
    mode: 'chatgpt',
    tokens: { idToken: { isFedramp: false, rawJwt: 'h.p.s' }, accessToken: 'access-token-2', refreshToken: 'refresh-token-2' },
  },
  chatgptFedramp: {
    mode: 'chatgpt',
    tokens: {
      idToken: { isFedramp: true, rawJwt: 'h.p.s', chatgptUserId: 'user-f', planType: 'enterprise' },
      accessToken: 'access-token-f',
      refreshToken: 'refresh-token-f',
      accountId: 'acct-f',
    },
  },
  hostTokens: { mode: 'chatgptAuthTokens', accessToken: 'host-token-1', accountId: 'acct-h', isFedramp: false, planType: 'team' },
  /** A personal access token as whoami describes it (codex-0.171 only). */
  pat: { mode: 'personalAccessToken', token: 'at-pat-token-1', accountId: 'acct-p', chatgptUserId: 'user-p', planType: 'enterprise', isFedramp: true },
  /** A caller-supplied header map (codex-0.171 only). */
  headers: { mode: 'headers', headers: { authorization: 'Bearer caller-token-1', 'chatgpt-account-id': 'acct-x', 'x-caller': 'kept' } },
  /** Headers mode whose map carries no credential of Codex's own kind. */
  headersNoAuth: { mode: 'headers', headers: { 'x-gateway-token': 'gw-1' } },
  /** An Amazon Bedrock API key (codex-0.171 only). */
  bedrock: { mode: 'bedrockApiKey', apiKey: 'bedrock-key-1', region: 'us-east-1' },
} as const satisfies Record<string, CodexAuth>;

export function agentAuth(keys: AgentKeys, over: Partial<{ accountId: string; isFedramp: boolean; agentRuntimeId: string; chatgptUserId: string; planType: string }> = {}): CodexAuth {
  return {
    mode: 'agentIdentity',
    jwt: 'agent.jwt.value',
    claims: {
      agentRuntimeId: over.agentRuntimeId ?? 'rt-1',
      agentPrivateKey: keys.pkcs8Base64,
      accountId: over.accountId ?? 'acct-a',
      chatgptUserId: over.chatgptUserId ?? 'user-a',
      planType: over.planType ?? 'business',
      isFedramp: over.isFedramp ?? false,
      iat: 0,
      exp: 4_102_444_800,
    },
  };
}
