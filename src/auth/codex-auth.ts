/**
 * The auth state of a Codex client: one variant per auth mode, tagged by `mode`.
 * Sources: codex-rs/login/src/auth/manager.rs (`CodexAuth`), codex-rs/login/src/token_data.rs,
 * codex-rs/login/src/auth/agent_identity.rs, codex-rs/login/src/auth/personal_access_token.rs,
 * and `AuthMode` in codex-rs/protocol/src/auth.rs. Getters live in auth-getters.ts.
 * The first four modes exist at PR #18811; `personalAccessToken`, `headers` and `bedrockApiKey`
 * arrived later (0.171.0 has them); which modes a client accepts is its profile's business
 * (src/auth/client-profile.ts).
 */
export const AUTH_MODES = ['apiKey', 'chatgpt', 'chatgptAuthTokens', 'agentIdentity', 'personalAccessToken', 'headers', 'bedrockApiKey'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];
/** The modes of the seed PR stack (PR #18811). */
export const SEED_AUTH_MODES = ['apiKey', 'chatgpt', 'chatgptAuthTokens', 'agentIdentity'] as const satisfies readonly AuthMode[];
export type SeedAuthMode = (typeof SEED_AUTH_MODES)[number];

/** Claims the client reads from the id_token payload (the signature is not checked). */
export interface IdTokenInfo {
  readonly email?: string;
  readonly planType?: string;
  readonly chatgptUserId?: string;
  readonly chatgptAccountId?: string;
  readonly isFedramp: boolean;
  /** The raw JWT, kept so auth.json round-trips byte-for-byte. */
  readonly rawJwt: string;
}

export interface ChatgptTokenData {
  readonly idToken: IdTokenInfo;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly accountId?: string;
}

/** Claims of a verified Agent Identity JWT (codex-rs/agent-identity/src/lib.rs). */
export interface AgentIdentityClaims {
  readonly agentRuntimeId: string;
  /** Ed25519 private key, PKCS#8 DER, standard base64, as carried in the JWT. */
  readonly agentPrivateKey: string;
  readonly accountId?: string;
  readonly chatgptUserId?: string;
  readonly email?: string;
  readonly planType?: string;
  readonly isFedramp: boolean;
  readonly iat: number;
  readonly exp: number;
}

export type CodexAuth =
  | { readonly mode: 'apiKey'; readonly apiKey: string }
  | {
      readonly mode: 'chatgpt';
      readonly tokens: ChatgptTokenData;
      /** RFC 3339 instant of the last refresh, or undefined when never refreshed. */
      readonly lastRefresh?: string;
    }
  | {
      /** ChatGPT tokens handed in by an embedding host, which also refreshes them. */
      readonly mode: 'chatgptAuthTokens';
      readonly accessToken: string;
      readonly accountId: string;
      readonly chatgptUserId?: string;
      readonly planType?: string;
      readonly isFedramp: boolean;
    }
  | {
      readonly mode: 'agentIdentity';
      /** The identity JWT as received (never printed; fingerprint it); absent for an auth.json record (PR #18811). */
      readonly jwt?: string;
      readonly claims: AgentIdentityClaims;
    }
  | {
      /** A ChatGPT personal access token (`at-...` in CODEX_ACCESS_TOKEN), described by whoami. */
      readonly mode: 'personalAccessToken';
      readonly token: string;
      readonly accountId: string;
      readonly chatgptUserId: string;
      readonly email?: string;
      readonly planType?: string;
      readonly isFedramp: boolean;
    }
  | {
      /** A header map an embedding host hands in, sent verbatim (lower-case names). */
      readonly mode: 'headers';
      readonly headers: Readonly<Record<string, string>>;
    }
  | {
      /** An Amazon Bedrock API key: only for the Bedrock model provider, never the codex backend. */
      readonly mode: 'bedrockApiKey';
      readonly apiKey: string;
      readonly region: string;
    };
