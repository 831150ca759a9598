import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import type { Account } from '../../../mocks/state/accounts.js';
import type { MockBackend } from '../../../mocks/state/mock-backend.js';
import { assertNever } from '../../assert-never.js';
import type { AccessTokenState, BlackboxScenario, CredentialSpec } from './scenario.js';

/**
 * Issues a scenario's accounts and credentials on the mock (mock state of the data file), and
 * keeps the raw values in memory for the runner (the actor is handed them) and the judges (what
 * the actor must send). Raw values never leave the namespaced process; `secrets()` lists them
 * for scrubbing anything shown.
 */
export type SeededCredential =
  | { readonly id: string; readonly kind: 'apiKey'; readonly apiKey: string }
  | { readonly id: string; readonly kind: 'chatgptTokens'; readonly account: Account; readonly access: AccessTokenState; readonly idToken: string; readonly accessToken: string; readonly refreshToken: string }
  | { readonly id: string; readonly kind: 'hostTokens'; readonly account: Account; readonly idToken: string; readonly accessToken: string; readonly refreshToken: string }
  | { readonly id: string; readonly kind: 'agentIdentity'; readonly account: Account; readonly jwt: string; readonly runtimeId: string; readonly privateKeyPkcs8Base64: string }
  | { readonly id: string; readonly kind: 'personalAccessToken'; readonly account: Account; readonly token: string };

export interface SeededScenario {
  readonly accounts: ReadonlyMap<string, Account>;
  /** The current generation of each credential (a `rotated` write replaces it). */
  readonly credentials: Map<string, SeededCredential>;
  /** Every raw secret issued so far (rotations included). */
  secrets(): readonly string[];
}

/** Re-signs JWT claims with a fresh RSA key under the mock's kid: the kid is known, the signature is not. */
async function forgeJwt(claims: Record<string, unknown>, kid: string): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(privateKey);
}

/** Marks an issued access token revoked: the mock answers 401 token_revoked for it. */
export function revokeAccessToken(backend: MockBackend, accessToken: string): void {
  const jti = decodeJwt(accessToken).jti;
  const record = typeof jti === 'string' ? backend.accessTokens.get(jti) : undefined;
  if (record === undefined) throw new TypeError('revokeAccessToken: the mock did not issue this token');
  record.revoked = true;
}

/** Revokes every ChatGPT access token the mock issued to `accessToken`'s login family (returns how many). */
export function revokeLoginAccessTokens(backend: MockBackend, accessToken: string): number {
  const jti = decodeJwt(accessToken).jti;
  const family = typeof jti === 'string' ? backend.accessTokens.get(jti)?.lineage.family : undefined;
  if (family === undefined) throw new TypeError('revokeLoginAccessTokens: the mock did not issue this token');
  let n = 0;
  for (const record of backend.accessTokens.values()) {
    if (record.lineage.family !== family || record.revoked) continue;
    record.revoked = true;
    n += 1;
  }
  return n;
}

function tokenOptions(access: AccessTokenState): { expired?: boolean; ttlSeconds?: number } {
  switch (access.kind) {
    case 'fresh':
    case 'revoked':
      return {};
    case 'expired':
      return { expired: true };
    case 'expiresIn':
      return { ttlSeconds: access.seconds };
    default:
      return assertNever(access, 'access token state');
  }
}

const secretsOf = (c: SeededCredential): string[] => {
  switch (c.kind) {
    case 'apiKey':
      return [c.apiKey];
    case 'chatgptTokens':
    case 'hostTokens':
      return [c.idToken, c.accessToken, c.refreshToken];
    case 'agentIdentity':
      return [c.jwt, c.privateKeyPkcs8Base64];
    case 'personalAccessToken':
      return [c.token];
    default:
      return assertNever(c, 'credential');
  }
};

async function issue(backend: MockBackend, spec: CredentialSpec, accounts: ReadonlyMap<string, Account>): Promise<SeededCredential> {
  if (spec.kind === 'apiKey') return { id: spec.id, kind: 'apiKey', apiKey: backend.createApiKey() };
  const account = accounts.get(spec.account);
  if (account === undefined) throw new TypeError(`seedScenario: credential ${spec.id} names unknown account ${spec.account}`);
  switch (spec.kind) {
    case 'chatgptTokens': {
      const t = await backend.issueChatgptTokens(account.id, tokenOptions(spec.access));
      if (spec.access.kind === 'revoked') revokeAccessToken(backend, t.accessToken);
      return { id: spec.id, kind: 'chatgptTokens', account, access: spec.access, idToken: t.idToken, accessToken: t.accessToken, refreshToken: t.refreshToken };
    }
    case 'hostTokens': {
      const t = await backend.issueChatgptTokens(account.id, { kind: 'hostAccess' });
      if (spec.revoked === true) revokeAccessToken(backend, t.accessToken);
      return { id: spec.id, kind: 'hostTokens', account, idToken: t.idToken, accessToken: t.accessToken, refreshToken: t.refreshToken };
    }
    case 'agentIdentity': {
      const identity = await backend.createAgentIdentity(account.id);
      const jwt = spec.forged === true ? await forgeJwt({ ...identity.claims }, backend.agentIdentityKeys.current().kid) : identity.jwt;
      return { id: spec.id, kind: 'agentIdentity', account, jwt, runtimeId: identity.runtimeId, privateKeyPkcs8Base64: identity.privateKeyPkcs8Base64 };
    }
    case 'personalAccessToken':
      return { id: spec.id, kind: 'personalAccessToken', account, token: backend.createPersonalAccessToken(account.id) };
    default:
      return assertNever(spec, 'credential spec');
  }
}

export async function seedScenario(backend: MockBackend, s: Pick<BlackboxScenario, 'mock'>): Promise<SeededScenario> {
  const accounts = new Map<string, Account>();
  for (const a of s.mock.accounts) accounts.set(a.id, backend.createAccount({ plan: a.plan, fedramp: a.fedramp }));
  const credentials = new Map<string, SeededCredential>();
  const issued: string[] = [];
  for (const spec of s.mock.credentials) {
    const c = await issue(backend, spec, accounts);
    credentials.set(spec.id, c);
    issued.push(...secretsOf(c));
  }
  if (s.mock.clockOffsetSeconds !== undefined) backend.advance(s.mock.clockOffsetSeconds * 1000);
  return {
    accounts,
    credentials,
    secrets: () => [...issued, ...[...credentials.values()].flatMap(secretsOf).filter((x) => !issued.includes(x))],
  };
}

/**
 * Another process redeemed `credential`'s refresh token: the mock marks it spent (as its token
 * route does on a redemption) and issues the account's next tokens, which become the credential's
 * current generation. A later redemption of the old refresh token gets the mock's answer to reuse.
 */
export async function rotateCredential(backend: MockBackend, seeded: SeededScenario, credential: string): Promise<SeededCredential> {
  const c = seeded.credentials.get(credential);
  if (c === undefined || c.kind !== 'chatgptTokens') throw new TypeError(`rotateCredential: ${credential} is not a chatgptTokens credential`);
  const record = backend.refreshTokens.get(c.refreshToken);
  // Spent before the first await, so a client's redemption racing this one is the mock's reuse,
  // as with a real second redeemer; then the next generation of the same family, as the token route mints.
  const wasActive = record !== undefined && record.state === 'active';
  if (record !== undefined && wasActive) record.state = 'used';
  const t = await backend.issueChatgptTokens(c.account.id, record === undefined ? {} : { family: record.lineage.family });
  const issued = backend.refreshTokens.get(t.refreshToken);
  if (record !== undefined && wasActive && issued !== undefined) record.spentBy = { generation: issued.lineage.generation };
  const next: SeededCredential = { ...c, access: { kind: 'fresh' }, idToken: t.idToken, accessToken: t.accessToken, refreshToken: t.refreshToken };
  seeded.credentials.set(credential, next);
  return next;
}
