/**
 * The run's pool of minted credentials (see CredentialPool) and the account options a case's
 * AccountSpec creates on the mock: what seedAuth (auth-spec.ts) draws its ChatGPT token pairs and
 * agent identities from.
 */
import type { AgentIdentityFixture, ChatgptTokens } from '../../mocks/state/issued-records.js';
import type { Account, PlanType } from '../../mocks/state/accounts.js';
import type { MockBackend } from '../../mocks/state/mock-backend.js';
import type { AccountSpec } from './auth-spec.js';

/** The mock's account options for an AccountSpec. */
export function createOptions(account: AccountSpec): { plan: PlanType; planClaim?: string; fedramp: boolean; chatgptUserId?: string } {
  return {
    plan: account.plan,
    fedramp: account.fedramp,
    ...(account.planClaim !== undefined ? { planClaim: account.planClaim } : {}),
    ...(account.chatgptUserId !== undefined ? { chatgptUserId: account.chatgptUserId } : {}),
  };
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
export interface CredentialPool {
  caseId: string | undefined;
  readonly taken: Map<string, number>;
  readonly chatgpt: Map<string, { readonly account: Account; readonly tokens: ChatgptTokens; readonly jti: string }>;
  readonly agent: Map<string, { readonly account: Account; readonly identity: AgentIdentityFixture }>;
}

const pools = new WeakMap<MockBackend, CredentialPool>();
const MIN_LIFETIME_MS = 60_000;

export function poolFor(backend: MockBackend, caseId: string): CredentialPool {
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
export function slot(pool: CredentialPool, kind: string): string {
  const n = pool.taken.get(kind) ?? 0;
  pool.taken.set(kind, n + 1);
  return `${kind}#${n}`;
}

export function jtiOf(accessToken: string): string {
  const payload = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { jti?: unknown };
  return typeof payload.jti === 'string' ? payload.jti : '';
}

/** A ChatGPT account and token pair of this kind, reused from the run's pool while still unused. */
export async function chatgptCredential(backend: MockBackend, pool: CredentialPool | undefined, account: AccountSpec, opts: { expired: boolean; kind: 'chatgptAccess' | 'hostAccess'; ttlSeconds?: number }): Promise<{ account: Account; tokens: ChatgptTokens }> {
  const key = pool === undefined ? undefined : slot(pool, `${opts.kind}|${account.plan}|${account.planClaim ?? ''}|${account.fedramp}|${account.chatgptUserId ?? ''}|${opts.expired}`);
  const known = key === undefined ? undefined : pool!.chatgpt.get(key);
  if (known !== undefined) {
    const access = backend.accessTokens.get(known.jti);
    const refresh = backend.refreshTokens.get(known.tokens.refreshToken);
    const lifetimeOk = opts.expired ? known.tokens.expiresAt <= backend.now() : known.tokens.expiresAt > backend.now() + MIN_LIFETIME_MS;
    if (backend.accounts.get(known.account.id) === known.account && access !== undefined && !access.revoked && refresh?.state === 'active' && refresh.expiresAt > backend.now() + MIN_LIFETIME_MS && lifetimeOk) {
      return known;
    }
  }
  const created = backend.createAccount(createOptions(account));
  const tokens = await backend.issueChatgptTokens(created.id, { expired: opts.expired, kind: opts.kind, ...(opts.ttlSeconds !== undefined ? { ttlSeconds: opts.ttlSeconds } : {}) });
  const minted = { account: created, tokens, jti: jtiOf(tokens.accessToken) };
  if (key !== undefined) pool!.chatgpt.set(key, minted);
  return minted;
}

/** An account and agent identity of this kind, reused from the run's pool while the mock knows it. */
export async function agentCredential(backend: MockBackend, pool: CredentialPool | undefined, account: AccountSpec): Promise<{ account: Account; identity: AgentIdentityFixture }> {
  const key = pool === undefined ? undefined : slot(pool, `agent|${account.plan}|${account.planClaim ?? ''}|${account.fedramp}|${account.chatgptUserId ?? ''}`);
  const known = key === undefined ? undefined : pool!.agent.get(key);
  if (known !== undefined && backend.accounts.get(known.account.id) === known.account && backend.runtimes.has(known.identity.runtimeId) && known.identity.claims.exp * 1000 > backend.now() + MIN_LIFETIME_MS) {
    return known;
  }
  const created = backend.createAccount(createOptions(account));
  const identity = await backend.createAgentIdentity(created.id);
  const minted = { account: created, identity };
  if (key !== undefined) pool!.agent.set(key, minted);
  return minted;
}
