import { generateKeyPair, SignJWT } from 'jose';
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
}

export interface HostTokens {
  readonly accessToken: string;
  readonly accountId: string;
  readonly planType: string;
}

export interface SeededCase {
  readonly credentials: CodexHomeCredentials;
  readonly hostTokens?: HostTokens;
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
      const account = backend.createAccount({ plan: c.account?.plan ?? 'plus', fedramp: c.account?.fedramp ?? false });
      const t = await backend.issueChatgptTokens(account.id);
      return {
        credentials: { mode: 'chatgpt', idToken: t.idToken, accessToken: t.accessToken, refreshToken: t.refreshToken, accountId: account.id },
        expectation: { ...base, bearer: t.accessToken, accountId: account.id, plan: account.plan, isFedramp: account.isFedramp },
        secrets: [t.idToken, t.accessToken, t.refreshToken],
      };
    }
    case 'chatgptAuthTokens': {
      const account = backend.createAccount({ plan: c.account?.plan ?? 'plus', fedramp: c.account?.fedramp ?? false });
      const t = await backend.issueChatgptTokens(account.id, { kind: 'hostAccess' });
      return {
        credentials: { mode: 'chatgptAuthTokens' },
        hostTokens: { accessToken: t.accessToken, accountId: account.id, planType: account.plan },
        expectation: { ...base, bearer: t.accessToken, accountId: account.id, plan: account.plan, isFedramp: account.isFedramp },
        secrets: [t.accessToken, t.idToken, t.refreshToken],
      };
    }
    case 'agentIdentity': {
      const account = backend.createAccount({ plan: c.account?.plan ?? 'plus', fedramp: c.account?.fedramp ?? false });
      const identity = await backend.createAgentIdentity(account.id);
      const jwt = c.forgedJwt === true ? await forgeJwt({ ...identity.claims }, backend.agentIdentityKeys.current().kid) : identity.jwt;
      return {
        credentials: { mode: 'agentIdentity', jwt },
        expectation: { ...base, accountId: account.id, plan: account.plan, isFedramp: account.isFedramp, agentRuntimeId: identity.runtimeId },
        secrets: [jwt, identity.privateKeyPkcs8Base64],
      };
    }
    default:
      return assertNever(c.mode, 'auth mode');
  }
}
