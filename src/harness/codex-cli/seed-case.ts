import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import type { MockBackend } from '../../../mocks/state/mock-backend.js';
import type { SeedAuthMode as AuthMode } from '../../auth/codex-auth.js';
import { assertNever } from '../../assert-never.js';
import type { CodexCliCase } from './codex-cli-cases.js';
import type { CodexHomeCredentials } from './codex-home.js';

/**
 * Seeds the mock backend for one black-box case and returns what the binary is handed plus what
 * the judge needs to know about it. Raw credentials stay in memory in the namespaced process;
 * anything printed goes through `scrubSecrets` / fingerprint().
 */
export interface RunExpectation {
  readonly caseId: string;
  readonly mode: AuthMode;
  /** The bearer token the mode must send (raw, in memory only), when the mode is a Bearer mode. */
  readonly bearer?: string;
  readonly accountId?: string;
  readonly plan?: string;
  readonly isFedramp: boolean;
  readonly agentRuntimeId?: string;
  /** The identity JWT does not verify against the JWKS (AGENT.JWT.001 expects a refusal). */
  readonly forgedJwt: boolean;
  /** Apps tool names of the account (CACHE.SWITCH.*: the tools the binary may offer). */
  readonly appsTools?: readonly string[];
  /** The refresh token handed to the binary (raw, in memory only). */
  readonly refreshToken?: string;
  /** Switch cases: the Bearer token of this turn's account (raw, in memory only). */
  readonly turnBearer?: string;
  /**
   * The Apps tools cache key of this identity, as the source serializes it before hashing the disk
   * file name: `{"account_id","chatgpt_user_id","is_workspace_account"}` (CACHE.KEY.001).
   */
  readonly appsCacheKey?: string;
}

/** serde_json of `ConnectorRuntimeContextKey { account_id, chatgpt_user_id, is_workspace_account }` (field order kept). */
export function appsCacheKeyJson(account: { readonly id: string; readonly chatgptUserId: string; readonly isWorkspace: boolean }): string {
  return JSON.stringify({ account_id: account.id, chatgpt_user_id: account.chatgptUserId, is_workspace_account: account.isWorkspace });
}

export interface HostTokens {
  readonly accessToken: string;
  readonly accountId: string;
  readonly planType: string;
}

export interface SeededCase {
  readonly credentials: CodexHomeCredentials;
  readonly hostTokens?: HostTokens;
  /** app-server host refresh: what the host answers the refresh request with. */
  readonly refreshHostTokens?: HostTokens;
  /** Apps cache switch: the second account's credentials and its expectation. */
  readonly second?: { readonly credentials: CodexHomeCredentials; readonly expectation: RunExpectation; readonly hostTokens?: HostTokens };
  readonly expectation: RunExpectation;
  /** Every secret handed to the binary, to scrub from any output that is shown. */
  readonly secrets: readonly string[];
}

/** Re-signs JWT claims with a fresh RSA key under the mock's kid: the kid is known, the signature is not. */
async function forgeJwt(claims: Record<string, unknown>, kid: string): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(privateKey);
}

export async function seedCase(backend: MockBackend, c: CodexCliCase): Promise<SeededCase> {
  const base = { caseId: c.id, mode: c.mode, forgedJwt: c.forgedJwt === true } as const;
  switch (c.mode) {
    case 'apiKey': {
      const apiKey = backend.createApiKey();
      return { credentials: { mode: 'apiKey', apiKey }, expectation: { ...base, bearer: apiKey, isFedramp: false }, secrets: [apiKey] };
    }
    case 'chatgpt': {
      const one = await seedChatgpt(backend, c, base);
      if (c.switchAccount !== true) return one;
      const two = await seedChatgpt(backend, c, base);
      // Each turn's own token is judged per turn (judge-scenarios.ts), not across the case.
      const perTurn = (x: RunExpectation): RunExpectation => {
        const { bearer, ...rest } = x;
        return { ...rest, ...(bearer === undefined ? {} : { turnBearer: bearer }) };
      };
      return { ...one, expectation: perTurn(one.expectation), second: { credentials: two.credentials, expectation: perTurn(two.expectation) }, secrets: [...one.secrets, ...two.secrets] };
    }
    case 'chatgptAuthTokens': {
      const account = backend.createAccount({ plan: c.account?.plan ?? 'plus', fedramp: c.account?.fedramp ?? false });
      if (c.personalAccessToken === true) {
        const token = backend.createPersonalAccessToken(account.id);
        return {
          credentials: { mode: 'personalAccessToken', token },
          expectation: { ...base, bearer: token, accountId: account.id, plan: account.plan, isFedramp: account.isFedramp, appsTools: account.appsTools.map((x) => x.name), appsCacheKey: appsCacheKeyJson(account) },
          secrets: [token],
        };
      }
      const t = await backend.issueChatgptTokens(account.id, { kind: 'hostAccess' });
      const hostTokens = { accessToken: t.accessToken, accountId: account.id, planType: account.plan };
      if (c.switchAccount === true) {
        const other = backend.createAccount({ plan: c.account?.plan ?? 'plus', fedramp: c.account?.fedramp ?? false });
        const u = await backend.issueChatgptTokens(other.id, { kind: 'hostAccess' });
        const turn = (acct: typeof account, token: string): RunExpectation => ({ ...base, turnBearer: token, accountId: acct.id, plan: acct.plan, isFedramp: acct.isFedramp, appsTools: acct.appsTools.map((x) => x.name), appsCacheKey: appsCacheKeyJson(acct) });
        return {
          credentials: { mode: 'chatgptAuthTokens' },
          hostTokens,
          expectation: turn(account, t.accessToken),
          second: { credentials: { mode: 'chatgptAuthTokens' }, expectation: turn(other, u.accessToken), hostTokens: { accessToken: u.accessToken, accountId: other.id, planType: other.plan } },
          secrets: [t.accessToken, t.idToken, t.refreshToken, u.accessToken, u.idToken, u.refreshToken],
        };
      }
      if (c.hostRefresh !== true) {
        return {
          credentials: { mode: 'chatgptAuthTokens' },
          hostTokens,
          expectation: { ...base, bearer: t.accessToken, accountId: account.id, plan: account.plan, isFedramp: account.isFedramp, appsTools: account.appsTools.map((x) => x.name), appsCacheKey: appsCacheKeyJson(account) },
          secrets: [t.accessToken, t.idToken, t.refreshToken],
        };
      }
      // The host's first token is revoked on the backend; its refresh answer is a fresh one.
      revokeAccessToken(backend, t.accessToken);
      const fresh = await backend.issueChatgptTokens(account.id, { kind: 'hostAccess' });
      return {
        credentials: { mode: 'chatgptAuthTokens' },
        hostTokens,
        refreshHostTokens: { accessToken: fresh.accessToken, accountId: account.id, planType: account.plan },
        expectation: { ...base, accountId: account.id, plan: account.plan, isFedramp: account.isFedramp },
        secrets: [t.accessToken, t.idToken, t.refreshToken, fresh.accessToken, fresh.idToken, fresh.refreshToken],
      };
    }
    case 'agentIdentity': {
      const account = backend.createAccount({ plan: c.account?.plan ?? 'plus', fedramp: c.account?.fedramp ?? false });
      const identity = await backend.createAgentIdentity(account.id);
      const jwt = c.forgedJwt === true ? await forgeJwt({ ...identity.claims }, backend.agentIdentityKeys.current().kid) : identity.jwt;
      return {
        credentials: { mode: 'agentIdentity', jwt },
        expectation: { ...base, accountId: account.id, plan: account.plan, isFedramp: account.isFedramp, agentRuntimeId: identity.runtimeId, appsTools: account.appsTools.map((x) => x.name), appsCacheKey: appsCacheKeyJson(account) },
        secrets: [jwt, identity.privateKeyPkcs8Base64],
      };
    }
    default:
      return assertNever(c.mode, 'auth mode');
  }
}

/** Marks an issued access token revoked: the mock answers 401 token_revoked for it. */
export function revokeAccessToken(backend: MockBackend, accessToken: string): void {
  const jti = decodeJwt(accessToken).jti;
  const record = typeof jti === 'string' ? backend.accessTokens.get(jti) : undefined;
  if (record === undefined) throw new TypeError('revokeAccessToken: the mock did not issue this token');
  record.revoked = true;
}

/** A managed ChatGPT account and its auth.json tokens in the case's token state. */
async function seedChatgpt(backend: MockBackend, c: CodexCliCase, base: Pick<RunExpectation, 'caseId' | 'mode' | 'forgedJwt'>): Promise<SeededCase> {
  const account = backend.createAccount({ plan: c.account?.plan ?? 'plus', fedramp: c.account?.fedramp ?? false });
  const state = c.tokens ?? 'fresh';
  const t = await backend.issueChatgptTokens(account.id, state === 'expired' ? { expired: true } : state === 'inRefreshWindow' ? { ttlSeconds: 120 } : {});
  if (state === 'revoked') revokeAccessToken(backend, t.accessToken);
  return {
    credentials: { mode: 'chatgpt', idToken: t.idToken, accessToken: t.accessToken, refreshToken: t.refreshToken, accountId: account.id },
    expectation: {
      ...base,
      // A token the binary must replace is not the one every request carries (judged by the refresh rules instead).
      ...(state === 'fresh' ? { bearer: t.accessToken } : {}),
      accountId: account.id,
      plan: account.plan,
      isFedramp: account.isFedramp,
      appsTools: account.appsTools.map((x) => x.name),
      appsCacheKey: appsCacheKeyJson(account),
      refreshToken: t.refreshToken,
    },
    secrets: [t.idToken, t.accessToken, t.refreshToken],
  };
}
