import { createPublicKey, randomBytes } from 'node:crypto';
import { ConformanceInputError } from '../../src/errors.js';
import { createAccountFaker, generateAccount, type Account, type CreateAccountOptions } from './accounts.js';
import { fingerprint } from '../../src/redact/fingerprint.js';
import type { IssuedLineage, TokenLineage } from '../../src/rules/observed-request.js';
import { ed25519PrivateKeyFromSeed } from './ed25519-keys.js';
import type {
  AgentIdentityFixture,
  AgentRuntime,
  ChatgptTokens,
  IssuedAccessToken,
  IssuedTask,
  IssueTokenOptions,
  RefreshRecord,
} from './issued-records.js';
import { KeyAllocator } from './key-pool.js';
import { LineageRegistry } from './lineage.js';
import { createKeyRing, createSigningKey, type KeyRing, type SigningKey } from './key-ring.js';
import { resolveMockBackendOptions, type MockBackendOptions, type ResolvedMockBackendOptions } from './mock-backend-options.js';
import { ModelRequestLog } from './model-request-log.js';
import type { RegistrationShape } from '../handlers/registration-shape.js';
import { signAgentIdentityJwt, signChatgptTokens } from './signed-tokens.js';
import { agentIdentityClaims } from './token-claims.js';

// Re-exported with the backend it configures (src/harness/codex-cli/ imports it from here).
export type { MockBackendOptions } from './mock-backend-options.js';

/**
 * The state of the mock Codex backend: accounts, what it issued (ChatGPT tokens, API keys,
 * agent runtimes and their tasks) and its signing keys. Pure state plus seed API; the
 * verification a request goes through lives in mocks/verify/. Its options are in
 * mock-backend-options.ts, the records it keeps in issued-records.ts.
 */
export class MockBackend {
  readonly accounts = new Map<string, Account>();
  readonly accessTokens = new Map<string, IssuedAccessToken>();
  readonly refreshTokens = new Map<string, RefreshRecord>();
  /** Login families and the token pairs minted in each (refresh-token lineage). */
  readonly lineage = new LineageRegistry();
  readonly apiKeys = new Map<string, { revoked: boolean }>();
  /** Personal access tokens (`at-...`) and the account each describes (whoami). */
  readonly personalAccessTokens = new Map<string, { accountId: string; revoked: boolean }>();
  readonly runtimes = new Map<string, AgentRuntime>();
  /** Registration answer shapes chosen per runtime (setRegistrationShape); cleared by reset(). */
  private readonly registrationShapes = new Map<string, RegistrationShape>();
  readonly tasks = new Map<string, IssuedTask>();
  /** Model and tool names of every Responses request body (SSE and WebSocket). */
  readonly modelRequests = new ModelRequestLog();
  readonly options: ResolvedMockBackendOptions;
  private offsetMs = 0;
  private faker;
  private readonly clock: () => number;
  private readonly random: (bytes: number) => Uint8Array;
  #outsideKey: Promise<SigningKey> | undefined;

  private constructor(
    opts: MockBackendOptions,
    readonly tokenKeys: KeyRing,
    readonly agentIdentityKeys: KeyRing,
    private readonly keyAllocator: KeyAllocator,
  ) {
    this.clock = opts.now ?? Date.now;
    this.random = opts.random ?? randomBytes;
    this.options = resolveMockBackendOptions(opts);
    this.faker = createAccountFaker(this.options.seed);
  }

  static async create(opts: MockBackendOptions = {}): Promise<MockBackend> {
    const clock = opts.now ?? Date.now;
    let backend: MockBackend | undefined;
    const now = (): number => (backend === undefined ? clock() : backend.now());
    // Both rings draw from the run's key pool (made once per run, key-pool.ts), in parallel,
    // unless the caller shares rings between several mocks of one run (keyRings).
    const keys = new KeyAllocator();
    const random = opts.random ?? randomBytes;
    const [tokenKeys, agentKeys] =
      opts.keyRings === undefined
        ? await Promise.all([createKeyRing('mock-token', now, keys, random), createKeyRing('mock-agent-identity', now, keys, random)])
        : [opts.keyRings.tokenKeys, opts.keyRings.agentIdentityKeys];
    // One more key, made in the background, for a rotation or a key outside the JWKS.
    keys.warm(1);
    backend = new MockBackend(opts, tokenKeys, agentKeys, keys);
    return backend;
  }

  /**
   * An RS256 key that is in neither of this backend's rings (nor ever will be: rotations take
   * other pool keys), for tokens a verifier must refuse (`unknown kid`). Made once per backend.
   */
  outsideKey(): Promise<SigningKey> {
    this.#outsideKey ??= createSigningKey('stranger', this.now(), this.keyAllocator, this.random);
    return this.#outsideKey;
  }

  /** `bytes` random bytes as hex, from the backend's random source (see MockBackendOptions.random). */
  randomHex(bytes: number): string {
    return Buffer.from(this.random(bytes)).toString('hex');
  }

  private randomId(prefix: string, bytes = 12): string {
    return `${prefix}${this.randomHex(bytes)}`;
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

  /**
   * Forgets every account, credential, runtime and task; keys and options stay. The generated
   * data restarts from `seed` (default: the backend's seed), so a harness case that resets with a
   * seed of its own gets the same accounts whatever ran before it.
   */
  reset(seed: number = this.options.seed): void {
    this.accounts.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.lineage.clear();
    this.apiKeys.clear();
    this.personalAccessTokens.clear();
    this.runtimes.clear();
    this.registrationShapes.clear();
    this.tasks.clear();
    this.modelRequests.clear();
    this.offsetMs = 0;
    this.faker = createAccountFaker(seed);
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
    const jti = this.randomId('jti_');
    const { accessToken, idToken } = await signChatgptTokens(account, key, { jti, iat, exp });
    const refreshToken = this.randomId('rt_mock_', 24);
    const family = (opts.family === undefined ? undefined : this.lineage.family(opts.family)) ?? this.lineage.newFamily(accountId);
    const lineage: TokenLineage = { family: family.id, generation: family.latest + 1, accountId };
    this.accessTokens.set(jti, {
      jti,
      kind: opts.kind ?? 'chatgptAccess',
      accountId,
      expiresAt: exp * 1000,
      revoked: false,
      lineage,
    });
    this.refreshTokens.set(refreshToken, {
      accountId,
      expiresAt: this.now() + (opts.refreshTtlSeconds ?? this.options.refreshTokenTtlSeconds) * 1000,
      state: 'active',
      lineage,
    });
    this.lineage.record({ ...lineage, refreshFingerprint: fingerprint(refreshToken), accessFingerprint: fingerprint(accessToken) });
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
    const key = `sk-mock-${this.randomHex(24)}`;
    this.apiKeys.set(key, { revoked: false });
    return key;
  }

  /** Answers this runtime's task registrations in `shape` (mocks/handlers/registration-shape.ts). */
  setRegistrationShape(runtimeId: string, shape: RegistrationShape): void {
    this.registrationShapes.set(runtimeId, shape);
  }

  /** The shape of a runtime's registration answer: chosen, else sealed where the runtime encrypts task ids. */
  registrationShapeOf(runtimeId: string): RegistrationShape {
    return this.registrationShapes.get(runtimeId) ?? (this.runtimes.get(runtimeId)?.encryptTaskIds === true ? 'encrypted_task_id' : 'task_id');
  }

  async createAgentIdentity(
    accountId: string,
    opts: { ttlSeconds?: number; expired?: boolean; encryptTaskIds?: boolean } = {},
  ): Promise<AgentIdentityFixture> {
    const account = this.requireAccount(accountId);
    const privateKey = ed25519PrivateKeyFromSeed(this.random(32));
    const publicKey = createPublicKey(privateKey);
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const runtimeId = this.randomId('agent-runtime-', 8);
    const nowS = this.nowSeconds();
    const ttl = opts.ttlSeconds ?? 3600;
    const exp = opts.expired === true ? nowS - 60 : nowS + ttl;
    const claims = agentIdentityClaims(account, runtimeId, pkcs8.toString('base64'), exp - ttl, exp);
    const key = this.agentIdentityKeys.current();
    const jwt = await signAgentIdentityJwt(claims, key);
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
    const task: IssuedTask = { taskId: this.randomId('task_', 10), runtimeId, issuedAt: this.now(), revoked: false };
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

  /**
   * Revokes a whole login family: every refresh token of it (later redemptions answer
   * `refresh_token_invalidated`) and every access token of it (401 `token_revoked`).
   */
  revokeFamily(familyId: string): void {
    const family = this.lineage.family(familyId);
    if (family !== undefined) family.revoked = true;
    for (const record of this.refreshTokens.values()) if (record.lineage.family === familyId) record.state = 'revoked';
    for (const record of this.accessTokens.values()) if (record.lineage.family === familyId) record.revoked = true;
  }

  /** Every ChatGPT token pair minted since the last reset, by fingerprint, with its lineage. */
  issuedLineage(): readonly IssuedLineage[] {
    return this.lineage.issued();
  }

  revokeApiKey(apiKey: string): void {
    const record = this.apiKeys.get(apiKey);
    if (record !== undefined) record.revoked = true;
  }
}
