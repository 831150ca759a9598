import { SignJWT } from 'jose';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { ConformanceInputError } from '../../src/errors.js';
import {
  createAccountFaker,
  generateAccount,
  type Account,
  type CreateAccountOptions,
} from './accounts.js';
import { createKeyRing, type KeyRing } from './key-ring.js';
import {
  ACCESS_TOKEN_AUDIENCE,
  CODEX_CLIENT_ID,
  TOKEN_ISSUER,
  accessTokenPayload,
  agentIdentityClaims,
  idTokenPayload,
  type AgentIdentityClaimsJson,
} from './token-claims.js';

/**
 * The state of the mock Codex backend: accounts, what it issued (ChatGPT tokens, API keys,
 * agent runtimes and their tasks) and its signing keys. Pure state plus seed API; the
 * verification a request goes through lives in mocks/verify/.
 */
export interface MockBackendOptions {
  /** Seed for faker-generated account data (default 1). */
  readonly seed?: number;
  /** Clock in epoch milliseconds (default Date.now); `advance()` adds an offset on top. */
  readonly now?: () => number;
  readonly accessTokenTtlSeconds?: number;
  readonly refreshTokenTtlSeconds?: number;
  /** Allowed distance between an AgentAssertion/registration timestamp and the mock clock. */
  readonly assertionSkewSeconds?: number;
  /** Largest request body accepted (413 above it). */
  readonly bodyLimitBytes?: number;
  /** Answer task registration with `encrypted_task_id` (sealed to the agent key) instead of `task_id`. */
  readonly encryptTaskIds?: boolean;
  /** Reject codex-backend requests that omit ChatGPT-Account-ID (default true). */
  readonly requireAccountHeader?: boolean;
  /** Origin answered as `workspace_backend_origin` by accounts/check (default: the request's origin). */
  readonly workspaceBackendOrigin?: string;
}

export interface IssuedAccessToken {
  readonly jti: string;
  readonly kind: 'chatgptAccess' | 'hostAccess';
  readonly accountId: string;
  readonly expiresAt: number;
  revoked: boolean;
}

export interface RefreshRecord {
  readonly accountId: string;
  readonly expiresAt: number;
  state: 'active' | 'used' | 'revoked';
}

export interface AgentRuntime {
  readonly runtimeId: string;
  readonly accountId: string;
  readonly publicKey: KeyObject;
  /** Raw 32-byte Ed25519 public key (for sealing task ids). */
  readonly publicKeyRaw: Uint8Array;
  readonly encryptTaskIds: boolean;
}

export interface IssuedTask {
  readonly taskId: string;
  readonly runtimeId: string;
  readonly issuedAt: number;
  revoked: boolean;
}

export interface ChatgptTokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly accountId: string;
  /** Epoch ms the access token expires. */
  readonly expiresAt: number;
}

export interface AgentIdentityFixture {
  readonly jwt: string;
  readonly claims: AgentIdentityClaimsJson;
  readonly runtimeId: string;
  readonly accountId: string;
  readonly privateKeyPkcs8Base64: string;
}

export interface IssueTokenOptions {
  readonly ttlSeconds?: number;
  /** Issue an access token that has already expired. */
  readonly expired?: boolean;
  readonly refreshTtlSeconds?: number;
  readonly kind?: 'chatgptAccess' | 'hostAccess';
}

const DEFAULTS = {
  seed: 1,
  accessTokenTtlSeconds: 3600,
  refreshTokenTtlSeconds: 30 * 86_400,
  assertionSkewSeconds: 300,
  bodyLimitBytes: 1024 * 1024,
} as const;

function randomId(prefix: string, bytes = 12): string {
  return `${prefix}${randomBytes(bytes).toString('hex')}`;
}

export class MockBackend {
  readonly accounts = new Map<string, Account>();
  readonly accessTokens = new Map<string, IssuedAccessToken>();
  readonly refreshTokens = new Map<string, RefreshRecord>();
  readonly apiKeys = new Map<string, { revoked: boolean }>();
  /** Personal access tokens (`at-...`) and the account each describes (whoami). */
  readonly personalAccessTokens = new Map<string, { accountId: string; revoked: boolean }>();
  readonly runtimes = new Map<string, AgentRuntime>();
  readonly tasks = new Map<string, IssuedTask>();
  readonly options: Required<Omit<MockBackendOptions, 'now' | 'workspaceBackendOrigin'>> &
    Pick<MockBackendOptions, 'workspaceBackendOrigin'>;
  private offsetMs = 0;
  private faker;
  private readonly clock: () => number;

  private constructor(
    opts: MockBackendOptions,
    readonly tokenKeys: KeyRing,
    readonly agentIdentityKeys: KeyRing,
  ) {
    this.clock = opts.now ?? Date.now;
    this.options = {
      seed: opts.seed ?? DEFAULTS.seed,
      accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? DEFAULTS.accessTokenTtlSeconds,
      refreshTokenTtlSeconds: opts.refreshTokenTtlSeconds ?? DEFAULTS.refreshTokenTtlSeconds,
      assertionSkewSeconds: opts.assertionSkewSeconds ?? DEFAULTS.assertionSkewSeconds,
      bodyLimitBytes: opts.bodyLimitBytes ?? DEFAULTS.bodyLimitBytes,
      encryptTaskIds: opts.encryptTaskIds ?? false,
      requireAccountHeader: opts.requireAccountHeader ?? true,
      ...(opts.workspaceBackendOrigin === undefined ? {} : { workspaceBackendOrigin: opts.workspaceBackendOrigin }),
    };
    this.faker = createAccountFaker(this.options.seed);
  }

  static async create(opts: MockBackendOptions = {}): Promise<MockBackend> {
    const clock = opts.now ?? Date.now;
    let backend: MockBackend | undefined;
    const now = (): number => (backend === undefined ? clock() : backend.now());
    const tokenKeys = await createKeyRing('mock-token', now);
    const agentKeys = await createKeyRing('mock-agent-identity', now);
    backend = new MockBackend(opts, tokenKeys, agentKeys);
    return backend;
  }

  /** Mock clock in epoch milliseconds. */
  now(): number {
    return this.clock() + this.offsetMs;
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Moves the mock clock forward (tokens expire, timestamps drift). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Forgets every account, credential, runtime and task; keys and options stay. */
  reset(): void {
    this.accounts.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.apiKeys.clear();
    this.personalAccessTokens.clear();
    this.runtimes.clear();
    this.tasks.clear();
    this.offsetMs = 0;
    this.faker = createAccountFaker(this.options.seed);
  }

  createAccount(opts: CreateAccountOptions = {}): Account {
    if (opts.id !== undefined && this.accounts.has(opts.id)) {
      throw new ConformanceInputError(
        'BAD_SCENARIO',
        `Account id ${JSON.stringify(opts.id)} already exists in the mock backend.`,
        'Use a different id, or omit it to let the mock generate one.',
      );
    }
    const account = generateAccount(this.faker, opts, this.now());
    this.accounts.set(account.id, account);
    return account;
  }

  requireAccount(accountId: string): Account {
    const account = this.accounts.get(accountId);
    if (account === undefined) {
      throw new ConformanceInputError(
        'BAD_SCENARIO',
        `No account ${JSON.stringify(accountId)} in the mock backend.`,
        'Create it first with createAccount() and pass the returned id.',
      );
    }
    return account;
  }

  async issueChatgptTokens(accountId: string, opts: IssueTokenOptions = {}): Promise<ChatgptTokens> {
    const account = this.requireAccount(accountId);
    const nowS = this.nowSeconds();
    const ttl = opts.ttlSeconds ?? this.options.accessTokenTtlSeconds;
    const exp = opts.expired === true ? nowS - 60 : nowS + ttl;
    const iat = opts.expired === true ? exp - ttl : nowS;
    const key = this.tokenKeys.current();
    const jti = randomId('jti_');
    const accessToken = await new SignJWT(accessTokenPayload(account))
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setSubject(account.chatgptUserId)
      .setJti(jti)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key.privateKey);
    const idToken = await new SignJWT(idTokenPayload(account))
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(CODEX_CLIENT_ID)
      .setSubject(account.chatgptUserId)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key.privateKey);
    const refreshToken = randomId('rt_mock_', 24);
    this.accessTokens.set(jti, {
      jti,
      kind: opts.kind ?? 'chatgptAccess',
      accountId,
      expiresAt: exp * 1000,
      revoked: false,
    });
    this.refreshTokens.set(refreshToken, {
      accountId,
      expiresAt: this.now() + (opts.refreshTtlSeconds ?? this.options.refreshTokenTtlSeconds) * 1000,
      state: 'active',
    });
    return { idToken, accessToken, refreshToken, accountId, expiresAt: exp * 1000 };
  }

  /** A personal access token for the account (`at-` prefix, codex-rs/login/src/auth/personal_access_token.rs). */
  createPersonalAccessToken(accountId: string): string {
    this.requireAccount(accountId);
    const token = `at-mock-${randomBytes(20).toString('hex')}`;
    this.personalAccessTokens.set(token, { accountId, revoked: false });
    return token;
  }

  createApiKey(): string {
    const key = `sk-mock-${randomBytes(24).toString('hex')}`;
    this.apiKeys.set(key, { revoked: false });
    return key;
  }

  async createAgentIdentity(
    accountId: string,
    opts: { ttlSeconds?: number; expired?: boolean; encryptTaskIds?: boolean } = {},
  ): Promise<AgentIdentityFixture> {
    const account = this.requireAccount(accountId);
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const runtimeId = randomId('agent-runtime-', 8);
    const nowS = this.nowSeconds();
    const ttl = opts.ttlSeconds ?? 3600;
    const exp = opts.expired === true ? nowS - 60 : nowS + ttl;
    const claims = agentIdentityClaims(account, runtimeId, pkcs8.toString('base64'), exp - ttl, exp);
    const key = this.agentIdentityKeys.current();
    const jwt = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .sign(key.privateKey);
    this.runtimes.set(runtimeId, {
      runtimeId,
      accountId,
      publicKey,
      publicKeyRaw: new Uint8Array(spki.subarray(spki.length - 32)),
      encryptTaskIds: opts.encryptTaskIds ?? this.options.encryptTaskIds,
    });
    return { jwt, claims, runtimeId, accountId, privateKeyPkcs8Base64: claims.agent_private_key };
  }

  /** Records a task issued to a runtime (called after a verified registration). */
  issueTask(runtimeId: string): IssuedTask {
    const task: IssuedTask = { taskId: randomId('task_', 10), runtimeId, issuedAt: this.now(), revoked: false };
    this.tasks.set(task.taskId, task);
    return task;
  }

  revokeTask(taskId: string): void {
    const task = this.tasks.get(taskId);
    if (task !== undefined) task.revoked = true;
  }

  revokeRefreshToken(refreshToken: string): void {
    const record = this.refreshTokens.get(refreshToken);
    if (record !== undefined) record.state = 'revoked';
  }

  revokeApiKey(apiKey: string): void {
    const record = this.apiKeys.get(apiKey);
    if (record !== undefined) record.revoked = true;
  }
}

/** Public key of an Ed25519 PKCS#8 private key given as standard base64 (as in the identity JWT). */
export function ed25519PublicKeyOf(pkcs8Base64: string): KeyObject {
  return createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8Base64, 'base64'), format: 'der', type: 'pkcs8' }));
}
