import type { AuthMode, CodexAuth } from '../auth/codex-auth.js';
import { parseIdToken } from '../auth/id-token.js';
import type { PlanType } from '../../mocks/state/accounts.js';
import type { MockBackend } from '../../mocks/state/mock-backend.js';
import { planClaimOf } from '../../mocks/state/accounts.js';
import { randomBytes } from 'node:crypto';
import { assertNever } from '../assert-never.js';
import type { CaseSetup } from './implementation.js';
import { agentCredential, chatgptCredential, createOptions, poolFor, type CredentialPool } from './credential-pool.js';

/**
 * What a case asks for: an auth mode, the account behind it and how the credential reaches the
 * implementation. `seedAuth` turns it into credentials the mock issued plus the CaseSetup parts,
 * and the CodexAuth the rules expect — built from what the mock issued, not by the reference client.
 */
export interface AccountSpec {
  readonly plan: PlanType;
  /**
   * The plan claim as the tokens spell it, when it is not `plan` (mocks/state/accounts.ts
   * `planClaim`): an alias (`hc`, `education`), another case (`Business`), a plan the mock does
   * not model (`ent26`, `enterprise_cbp_automation`, `enterprise_cbp_usage_based`).
   */
  readonly planClaim?: string;
  readonly fedramp: boolean;
  /** The account's ChatGPT user id (one user in several workspaces shares it); absent: a fresh one. */
  readonly chatgptUserId?: string;
}

/**
 * Spellings of a ChatGPT login's auth.json that all mean the same login
 * (codex-rs/login/src/auth/storage.rs `AuthDotJson`: `auth_mode` is optional, the token fields are
 * `Option`s so an absent `account_id` reads as a null one, and serde ignores fields it does not
 * know): `authMode` writes `"auth_mode": "chatgpt"`, `accountIdAbsent` leaves out `account_id` when
 * none is stored (instead of `null`), `extraFields` adds unknown fields at the top and in `tokens`.
 */
export interface ChatgptAuthJsonShape {
  readonly authMode: boolean;
  readonly accountIdAbsent: boolean;
  readonly extraFields: boolean;
}

export type AuthSpec =
  | { readonly mode: 'apiKey'; readonly via: 'authJson' | 'envCodexApiKey' }
  | {
      readonly mode: 'chatgpt';
      readonly account: AccountSpec;
      readonly lastRefreshDaysAgo: number;
      /** False writes `tokens.account_id: null` (an older login): no ChatGPT-Account-ID then. */
      readonly accountIdStored?: boolean;
      /**
       * `tokens.account_id` as stored when it disagrees with the id_token's `chatgpt_account_id`
       * (another workspace of the same user selected since the login): the stored one is the
       * account (`get_account_id` reads the token data's account_id, never the claim).
       */
      readonly storedAccountId?: string;
      /** Issue an access token whose `exp` has already passed. */
      readonly accessExpired?: boolean;
      /** Issue an access token that expires this many seconds from now (the refresh window). */
      readonly accessExpiresInSeconds?: number;
      /** How auth.json spells the login, as files in the wild do (absent: the way the reference writes it). */
      readonly authJson?: ChatgptAuthJsonShape;
    }
  | { readonly mode: 'chatgptAuthTokens'; readonly account: AccountSpec }
  | {
      readonly mode: 'agentIdentity';
      readonly account: AccountSpec;
      /**
       * `authJsonRecord`: the decoded record in auth.json (PR #18811, no JWT); `CODEX_ACCESS_TOKEN`
       * or `authJsonJwt`: an identity JWT (0.129.0 on).
       */
      readonly via: AgentIdentityVia;
    }
  | { readonly mode: 'personalAccessToken'; readonly account: AccountSpec; readonly via: 'CODEX_ACCESS_TOKEN' | 'authJson' }
  | {
      /**
       * A header map handed in by the host: Bearer access token, FedRAMP flag, and the account
       * header when `accountHeader` (`'empty'`: the header present with an empty value, as a host
       * that has no account id may hand it in).
       */
      readonly mode: 'headers';
      readonly account: AccountSpec;
      readonly accountHeader: boolean | 'empty';
    }
  | { readonly mode: 'bedrockApiKey' };

export const AGENT_IDENTITY_VIAS = ['CODEX_ACCESS_TOKEN', 'authJsonJwt', 'authJsonRecord'] as const;
export type AgentIdentityVia = (typeof AGENT_IDENTITY_VIAS)[number];

export interface SeededAuth {
  readonly spec: AuthSpec;
  readonly setup: Pick<CaseSetup, 'files' | 'env' | 'hostTokens' | 'hostHeaders'>;
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

/**
 * Seeds one credential. With `caseId`, credentials come from the run's pool (see
 * CredentialPool); without, every call mints new ones.
 */
export async function seedAuth(backend: MockBackend, spec: AuthSpec, opts: { readonly caseId?: string } = {}): Promise<SeededAuth> {
  const seeded = await seed(backend, spec, opts.caseId === undefined ? undefined : poolFor(backend, opts.caseId));
  const set = minted.get(backend) ?? new Set<string>();
  for (const s of seeded.secrets) set.add(s);
  minted.set(backend, set);
  return seeded;
}

async function seed(backend: MockBackend, spec: AuthSpec, pool: CredentialPool | undefined): Promise<SeededAuth> {
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
      // A token expiring within the refresh window is minted for the case: a pooled one has another lifetime.
      const { account, tokens } =
        spec.accessExpiresInSeconds !== undefined
          ? await chatgptCredential(backend, undefined, spec.account, { expired: false, kind: 'chatgptAccess', ttlSeconds: spec.accessExpiresInSeconds })
          : await chatgptCredential(backend, pool, spec.account, { expired: spec.accessExpired === true, kind: 'chatgptAccess' });
      const lastRefresh = new Date(backend.now() - spec.lastRefreshDaysAgo * DAY_MS).toISOString();
      const stored = spec.accountIdStored !== false;
      const shape = spec.authJson;
      const storedTokens: Record<string, unknown> = { id_token: tokens.idToken, access_token: tokens.accessToken, refresh_token: tokens.refreshToken };
      const storedId = spec.storedAccountId ?? account.id;
      if (stored || shape?.accountIdAbsent !== true) storedTokens['account_id'] = stored ? storedId : null;
      if (shape?.extraFields === true) storedTokens['scope'] = 'openid profile email offline_access';
      const authJson = {
        ...(shape?.authMode === true ? { auth_mode: 'chatgpt' } : {}),
        OPENAI_API_KEY: null,
        tokens: storedTokens,
        last_refresh: lastRefresh,
        ...(shape?.extraFields === true ? { codex_conformance_unknown: { note: 'a field from another client version', n: 1 }, email_verified: true } : {}),
      };
      return {
        spec,
        setup: { files: { 'auth.json': JSON.stringify(authJson, null, 2) }, env: {} },
        expected: {
          mode: 'chatgpt',
          tokens: { idToken: parseIdToken(tokens.idToken), accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, ...(stored ? { accountId: storedId } : {}) },
          lastRefresh,
        },
        accountId: account.id,
        secrets: [tokens.accessToken, tokens.refreshToken, tokens.idToken],
      };
    }
    case 'chatgptAuthTokens': {
      const { account, tokens } = await chatgptCredential(backend, pool, spec.account, { expired: false, kind: 'hostAccess' });
      return {
        spec,
        setup: { files: {}, env: {}, hostTokens: { accessToken: tokens.accessToken, accountId: account.id, planType: planClaimOf(account) } },
        expected: {
          mode: 'chatgptAuthTokens',
          accessToken: tokens.accessToken,
          accountId: account.id,
          chatgptUserId: account.chatgptUserId,
          planType: planClaimOf(account),
          isFedramp: account.isFedramp,
        },
        accountId: account.id,
        secrets: [tokens.accessToken, tokens.refreshToken],
      };
    }
    case 'agentIdentity': {
      const { account, identity } = await agentCredential(backend, pool, spec.account);
      const c = identity.claims;
      const record = {
        agent_runtime_id: identity.runtimeId,
        agent_private_key: identity.privateKeyPkcs8Base64,
        account_id: account.id,
        chatgpt_user_id: account.chatgptUserId,
        email: account.email,
        plan_type: planClaimOf(account),
        chatgpt_account_is_fedramp: account.isFedramp,
      };
      const authJson = (agentIdentity: unknown): Record<string, string> => ({ 'auth.json': JSON.stringify({ auth_mode: 'agentIdentity', OPENAI_API_KEY: null, agent_identity: agentIdentity }, null, 2) });
      const setup =
        spec.via === 'CODEX_ACCESS_TOKEN'
          ? { files: {}, env: { CODEX_ACCESS_TOKEN: identity.jwt } }
          : { files: authJson(spec.via === 'authJsonJwt' ? identity.jwt : record), env: {} };
      return {
        spec,
        setup,
        expected: {
          mode: 'agentIdentity',
          ...(spec.via === 'authJsonRecord' ? {} : { jwt: identity.jwt }),
          claims: {
            agentRuntimeId: identity.runtimeId,
            agentPrivateKey: identity.privateKeyPkcs8Base64,
            accountId: account.id,
            chatgptUserId: account.chatgptUserId,
            email: account.email,
            planType: planClaimOf(account),
            isFedramp: account.isFedramp,
            iat: spec.via === 'authJsonRecord' ? 0 : c.iat,
            exp: spec.via === 'authJsonRecord' ? 0 : c.exp,
          },
        },
        accountId: account.id,
        agentRuntimeId: identity.runtimeId,
        secrets: [identity.jwt, identity.privateKeyPkcs8Base64],
      };
    }
    case 'personalAccessToken': {
      const account = backend.createAccount(createOptions(spec.account));
      const token = backend.createPersonalAccessToken(account.id);
      const setup =
        spec.via === 'CODEX_ACCESS_TOKEN'
          ? { files: {}, env: { CODEX_ACCESS_TOKEN: token } }
          : { files: { 'auth.json': JSON.stringify({ auth_mode: 'personalAccessToken', OPENAI_API_KEY: null, personal_access_token: token }, null, 2) }, env: {} };
      return {
        spec,
        setup,
        expected: { mode: 'personalAccessToken', token, accountId: account.id, chatgptUserId: account.chatgptUserId, email: account.email, planType: planClaimOf(account), isFedramp: account.isFedramp },
        accountId: account.id,
        secrets: [token],
      };
    }
    case 'headers': {
      const { account, tokens } = await chatgptCredential(backend, pool, spec.account, { expired: false, kind: 'hostAccess' });
      const headers: Record<string, string> = {
        authorization: `Bearer ${tokens.accessToken}`,
        ...(spec.accountHeader === 'empty' ? { 'chatgpt-account-id': '' } : spec.accountHeader ? { 'chatgpt-account-id': account.id } : {}),
        ...(account.isFedramp ? { 'x-openai-fedramp': 'true' } : {}),
      };
      return { spec, setup: { files: {}, env: {}, hostHeaders: headers }, expected: { mode: 'headers', headers }, accountId: account.id, secrets: [tokens.accessToken, tokens.refreshToken] };
    }
    case 'bedrockApiKey': {
      const apiKey = `bedrock-mock-${randomBytes(16).toString('hex')}`;
      const authJson = { auth_mode: 'bedrockApiKey', OPENAI_API_KEY: null, bedrock_api_key: { api_key: apiKey, region: 'us-east-1' } };
      return { spec, setup: { files: { 'auth.json': JSON.stringify(authJson, null, 2) }, env: {} }, expected: { mode: 'bedrockApiKey', apiKey, region: 'us-east-1' }, secrets: [apiKey] };
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
      return `chatgpt ${spec.account.planClaim !== undefined ? `plan claim ${JSON.stringify(spec.account.planClaim)}` : spec.account.plan}${spec.account.fedramp ? ' fedramp' : ''} refreshed ${spec.lastRefreshDaysAgo}d ago${spec.accountIdStored === false ? (spec.authJson?.accountIdAbsent === true ? ' without account_id in auth.json' : ' without a stored account_id') : ''}${spec.authJson?.authMode === true ? ' (auth_mode written)' : ''}${spec.authJson?.extraFields === true ? ' (unknown fields in auth.json)' : ''}${spec.storedAccountId !== undefined ? ` with tokens.account_id ${JSON.stringify(spec.storedAccountId)} (not the id_token's)` : ''}${spec.accessExpired === true ? ' with an expired access token' : ''}${spec.accessExpiresInSeconds !== undefined ? ` with an access token expiring in ${spec.accessExpiresInSeconds}s` : ''}`;
    case 'chatgptAuthTokens':
      return `chatgptAuthTokens ${spec.account.plan}${spec.account.fedramp ? ' fedramp' : ''}`;
    case 'agentIdentity':
      return `agentIdentity ${spec.account.plan}${spec.account.fedramp ? ' fedramp' : ''} via ${spec.via}`;
    case 'personalAccessToken':
      return `personalAccessToken ${spec.account.plan}${spec.account.fedramp ? ' fedramp' : ''} via ${spec.via}`;
    case 'headers':
      return `headers (Bearer ${spec.account.fedramp ? '+ fedramp ' : ''}${spec.accountHeader === 'empty' ? '+ an empty account header' : spec.accountHeader ? '+ account' : 'without an account header'}) ${spec.account.plan}`;
    case 'bedrockApiKey':
      return 'bedrockApiKey in auth.json';
    default:
      return assertNever(spec, 'auth spec');
  }
}

export function modeOf(spec: AuthSpec): AuthMode {
  return spec.mode;
}
