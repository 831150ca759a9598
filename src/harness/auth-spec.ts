import type { AuthMode, CodexAuth } from '../auth/codex-auth.js';
import { parseIdToken } from '../auth/id-token.js';
import type { PlanType } from '../../mocks/state/accounts.js';
import type { AgentIdentityFixture, ChatgptTokens, MockBackend } from '../../mocks/state/mock-backend.js';
import type { Account } from '../../mocks/state/accounts.js';
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

/**
 * Credentials minted once per run: signing a ChatGPT token pair or an agent identity is the
 * costly part of a case (RS256), so a run reuses what an earlier case minted for the same kind
 * of credential (mode, plan, FedRAMP, expired or not) as long as the mock still accepts it as
 * new (account and token known, refresh token unused, not expiring within a minute). Within one
 * case every request gets a credential of its own (the n-th request for a kind in a case gets
 * the run's n-th credential of that kind), so a case that asks for two identities gets two
 * accounts, as before. CODEX_HOME, sessions and the journal stay per case.
 */
interface CredentialPool {
  caseId: string | undefined;
  readonly taken: Map<string, number>;
  readonly chatgpt: Map<string, { readonly account: Account; readonly tokens: ChatgptTokens; readonly jti: string }>;
  readonly agent: Map<string, { readonly account: Account; readonly identity: AgentIdentityFixture }>;
}

const pools = new WeakMap<MockBackend, CredentialPool>();
const MIN_LIFETIME_MS = 60_000;

function poolFor(backend: MockBackend, caseId: string): CredentialPool {
  let pool = pools.get(backend);
  if (pool === undefined) {
    pool = { caseId: undefined, taken: new Map(), chatgpt: new Map(), agent: new Map() };
    pools.set(backend, pool);
  }
  if (pool.caseId !== caseId) {
    pool.caseId = caseId;
    pool.taken.clear();
  }
  return pool;
}

/** The slot key of the next credential of `kind` in the current case. */
function slot(pool: CredentialPool, kind: string): string {
  const n = pool.taken.get(kind) ?? 0;
  pool.taken.set(kind, n + 1);
  return `${kind}#${n}`;
}

function jtiOf(accessToken: string): string {
  const payload = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { jti?: unknown };
  return typeof payload.jti === 'string' ? payload.jti : '';
}

/** A ChatGPT account and token pair of this kind, reused from the run's pool while still unused. */
async function chatgptCredential(backend: MockBackend, pool: CredentialPool | undefined, account: AccountSpec, opts: { expired: boolean; kind: 'chatgptAccess' | 'hostAccess' }): Promise<{ account: Account; tokens: ChatgptTokens }> {
  const key = pool === undefined ? undefined : slot(pool, `${opts.kind}|${account.plan}|${account.fedramp}|${opts.expired}`);
  const known = key === undefined ? undefined : pool!.chatgpt.get(key);
  if (known !== undefined) {
    const access = backend.accessTokens.get(known.jti);
    const refresh = backend.refreshTokens.get(known.tokens.refreshToken);
    const lifetimeOk = opts.expired ? known.tokens.expiresAt <= backend.now() : known.tokens.expiresAt > backend.now() + MIN_LIFETIME_MS;
    if (backend.accounts.get(known.account.id) === known.account && access !== undefined && !access.revoked && refresh?.state === 'active' && refresh.expiresAt > backend.now() + MIN_LIFETIME_MS && lifetimeOk) {
      return known;
    }
  }
  const created = backend.createAccount({ plan: account.plan, fedramp: account.fedramp });
  const tokens = await backend.issueChatgptTokens(created.id, { expired: opts.expired, kind: opts.kind });
  const minted = { account: created, tokens, jti: jtiOf(tokens.accessToken) };
  if (key !== undefined) pool!.chatgpt.set(key, minted);
  return minted;
}

/** An account and agent identity of this kind, reused from the run's pool while the mock knows it. */
async function agentCredential(backend: MockBackend, pool: CredentialPool | undefined, account: AccountSpec): Promise<{ account: Account; identity: AgentIdentityFixture }> {
  const key = pool === undefined ? undefined : slot(pool, `agent|${account.plan}|${account.fedramp}`);
  const known = key === undefined ? undefined : pool!.agent.get(key);
  if (known !== undefined && backend.accounts.get(known.account.id) === known.account && backend.runtimes.has(known.identity.runtimeId) && known.identity.claims.exp * 1000 > backend.now() + MIN_LIFETIME_MS) {
    return known;
  }
  const created = backend.createAccount({ plan: account.plan, fedramp: account.fedramp });
  const identity = await backend.createAgentIdentity(created.id);
  const minted = { account: created, identity };
  if (key !== undefined) pool!.agent.set(key, minted);
  return minted;
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
      const { account, tokens } = await chatgptCredential(backend, pool, spec.account, { expired: spec.accessExpired === true, kind: 'chatgptAccess' });
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
      const { account, tokens } = await chatgptCredential(backend, pool, spec.account, { expired: false, kind: 'hostAccess' });
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
      const { account, identity } = await agentCredential(backend, pool, spec.account);
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
