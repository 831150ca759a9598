import type { AuthMode, CodexAuth } from '../auth/codex-auth.js';
import { parseIdToken } from '../auth/id-token.js';
import type { PlanType } from '../../mocks/state/accounts.js';
import type { MockBackend } from '../../mocks/state/mock-backend.js';
import { assertNever } from '../assert-never.js';
import type { CaseSetup } from './implementation.js';

/**
 * What a case asks for: an auth mode, the account behind it and how the credential reaches the
 * implementation. `seedAuth` turns it into credentials the mock issued plus the CaseSetup parts,
 * and the CodexAuth the rules expect — built from what the mock issued, not by the reference client.
 */
export interface AccountSpec {
  readonly plan: PlanType;
  readonly fedramp: boolean;
}

export type AuthSpec =
  | { readonly mode: 'apiKey'; readonly via: 'authJson' | 'envCodexApiKey' }
  | {
      readonly mode: 'chatgpt';
      readonly account: AccountSpec;
      readonly lastRefreshDaysAgo: number;
      /** False writes `tokens.account_id: null` (an older login): no ChatGPT-Account-ID then. */
      readonly accountIdStored?: boolean;
      /** Issue an access token whose `exp` has already passed. */
      readonly accessExpired?: boolean;
    }
  | { readonly mode: 'chatgptAuthTokens'; readonly account: AccountSpec }
  | { readonly mode: 'agentIdentity'; readonly account: AccountSpec; readonly via: 'CODEX_ACCESS_TOKEN' | 'CODEX_AGENT_IDENTITY' };

export interface SeededAuth {
  readonly spec: AuthSpec;
  readonly setup: Pick<CaseSetup, 'files' | 'env' | 'hostTokens'>;
  /** The auth state the rules judge against. */
  readonly expected: CodexAuth;
  readonly accountId?: string;
  readonly agentRuntimeId?: string;
  /** Every credential minted for this case: reports are scanned for them. */
  readonly secrets: readonly string[];
}

const DAY_MS = 86_400_000;

/** Every credential seeded on a backend, so a run's reports can be scanned for leaks. */
const minted = new WeakMap<MockBackend, Set<string>>();

export function mintedSecrets(backend: MockBackend): ReadonlySet<string> {
  return minted.get(backend) ?? new Set();
}

export async function seedAuth(backend: MockBackend, spec: AuthSpec): Promise<SeededAuth> {
  const seeded = await seed(backend, spec);
  const set = minted.get(backend) ?? new Set<string>();
  for (const s of seeded.secrets) set.add(s);
  minted.set(backend, set);
  return seeded;
}

async function seed(backend: MockBackend, spec: AuthSpec): Promise<SeededAuth> {
  switch (spec.mode) {
    case 'apiKey': {
      const key = backend.createApiKey();
      const setup =
        spec.via === 'authJson'
          ? { files: { 'auth.json': JSON.stringify({ OPENAI_API_KEY: key, tokens: null, last_refresh: null }, null, 2) }, env: {} }
          : { files: {}, env: { CODEX_API_KEY: key } };
      return { spec, setup, expected: { mode: 'apiKey', apiKey: key }, secrets: [key] };
    }
    case 'chatgpt': {
      const account = backend.createAccount({ plan: spec.account.plan, fedramp: spec.account.fedramp });
      const tokens = await backend.issueChatgptTokens(account.id, { expired: spec.accessExpired === true });
      const lastRefresh = new Date(backend.now() - spec.lastRefreshDaysAgo * DAY_MS).toISOString();
      const stored = spec.accountIdStored !== false;
      const authJson = {
        OPENAI_API_KEY: null,
        tokens: { id_token: tokens.idToken, access_token: tokens.accessToken, refresh_token: tokens.refreshToken, account_id: stored ? account.id : null },
        last_refresh: lastRefresh,
      };
      return {
        spec,
        setup: { files: { 'auth.json': JSON.stringify(authJson, null, 2) }, env: {} },
        expected: {
          mode: 'chatgpt',
          tokens: { idToken: parseIdToken(tokens.idToken), accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, ...(stored ? { accountId: account.id } : {}) },
          lastRefresh,
        },
        accountId: account.id,
        secrets: [tokens.accessToken, tokens.refreshToken, tokens.idToken],
      };
    }
    case 'chatgptAuthTokens': {
      const account = backend.createAccount({ plan: spec.account.plan, fedramp: spec.account.fedramp });
      const tokens = await backend.issueChatgptTokens(account.id, { kind: 'hostAccess' });
      return {
        spec,
        setup: { files: {}, env: {}, hostTokens: { accessToken: tokens.accessToken, accountId: account.id, planType: account.plan } },
        expected: {
          mode: 'chatgptAuthTokens',
          accessToken: tokens.accessToken,
          accountId: account.id,
          chatgptUserId: account.chatgptUserId,
          planType: account.plan,
          isFedramp: account.isFedramp,
        },
        accountId: account.id,
        secrets: [tokens.accessToken, tokens.refreshToken],
      };
    }
    case 'agentIdentity': {
      const account = backend.createAccount({ plan: spec.account.plan, fedramp: spec.account.fedramp });
      const identity = await backend.createAgentIdentity(account.id);
      const c = identity.claims;
      return {
        spec,
        setup: { files: {}, env: { [spec.via]: identity.jwt } },
        expected: {
          mode: 'agentIdentity',
          jwt: identity.jwt,
          claims: {
            agentRuntimeId: identity.runtimeId,
            agentPrivateKey: identity.privateKeyPkcs8Base64,
            accountId: account.id,
            chatgptUserId: account.chatgptUserId,
            email: account.email,
            planType: account.plan,
            isFedramp: account.isFedramp,
            iat: c.iat,
            exp: c.exp,
          },
        },
        accountId: account.id,
        agentRuntimeId: identity.runtimeId,
        secrets: [identity.jwt, identity.privateKeyPkcs8Base64],
      };
    }
    default:
      return assertNever(spec, 'auth spec');
  }
}

export function describeAuthSpec(spec: AuthSpec): string {
  switch (spec.mode) {
    case 'apiKey':
      return `apiKey via ${spec.via}`;
    case 'chatgpt':
      return `chatgpt ${spec.account.plan}${spec.account.fedramp ? ' fedramp' : ''} refreshed ${spec.lastRefreshDaysAgo}d ago${spec.accountIdStored === false ? ' without a stored account_id' : ''}${spec.accessExpired === true ? ' with an expired access token' : ''}`;
    case 'chatgptAuthTokens':
      return `chatgptAuthTokens ${spec.account.plan}${spec.account.fedramp ? ' fedramp' : ''}`;
    case 'agentIdentity':
      return `agentIdentity ${spec.account.plan}${spec.account.fedramp ? ' fedramp' : ''} via ${spec.via}`;
    default:
      return assertNever(spec, 'auth spec');
  }
}

export function modeOf(spec: AuthSpec): AuthMode {
  return spec.mode;
}
