import type { KeyRing } from './key-ring.js';

/**
 * How a mock backend (mock-backend.ts) is made: seed, clock, token lifetimes, the checks it
 * applies, shared signing keys and the random source; and the same options with every default
 * filled in, as the backend keeps them.
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
  /**
   * Signing key rings to reuse instead of generating two RSA keys (several mocks of one run, e.g.
   * one per concurrent real-CLI case, share them; their clock is the first backend's).
   */
  readonly keyRings?: { readonly tokenKeys: KeyRing; readonly agentIdentityKeys: KeyRing };
  /**
   * Source of every random value the backend mints (ids, tokens' jti, API keys, key ids, agent
   * keys); default node:crypto randomBytes. Two backends with the same options and the same
   * deterministic source mint the same credentials (tests that compare adapters).
   */
  readonly random?: (bytes: number) => Uint8Array;
}

/** The options a backend keeps: every default filled in; the clock, key rings and random source are held apart. */
export type ResolvedMockBackendOptions = Required<Omit<MockBackendOptions, 'now' | 'workspaceBackendOrigin' | 'keyRings' | 'random'>> &
  Pick<MockBackendOptions, 'workspaceBackendOrigin'>;

const DEFAULTS = {
  seed: 1,
  accessTokenTtlSeconds: 3600,
  refreshTokenTtlSeconds: 30 * 86_400,
  assertionSkewSeconds: 300,
  bodyLimitBytes: 1024 * 1024,
} as const;

export function resolveMockBackendOptions(opts: MockBackendOptions): ResolvedMockBackendOptions {
  return {
    seed: opts.seed ?? DEFAULTS.seed,
    accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? DEFAULTS.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: opts.refreshTokenTtlSeconds ?? DEFAULTS.refreshTokenTtlSeconds,
    assertionSkewSeconds: opts.assertionSkewSeconds ?? DEFAULTS.assertionSkewSeconds,
    bodyLimitBytes: opts.bodyLimitBytes ?? DEFAULTS.bodyLimitBytes,
    encryptTaskIds: opts.encryptTaskIds ?? false,
    requireAccountHeader: opts.requireAccountHeader ?? true,
    ...(opts.workspaceBackendOrigin === undefined ? {} : { workspaceBackendOrigin: opts.workspaceBackendOrigin }),
  };
}
