import type { AuthProvider } from '../auth/auth-provider.js';
import type { ClientProfile } from '../auth/client-profile.js';
import type { CodexAuth } from '../auth/codex-auth.js';

/** How backend paths are spelled: `/wham/...` under `/backend-api`, else `/api/codex/...`. */
export const PATH_STYLES = ['wham', 'codexApi'] as const;
export type PathStyle = (typeof PATH_STYLES)[number];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type GateDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** The configured bases a callsite may build its URL from (raw config values, not normalized). */
export interface CallsiteBases {
  readonly chatgptBaseUrl?: string | undefined;
  readonly openaiBaseUrl?: string | undefined;
}

/** What a callsite's gate sees besides the auth: config switches the real caller reads. */
export interface GateContext {
  readonly appsEnabled: boolean;
  /** The configured OpenAI base (`openai_base_url`), when the caller's decision depends on it. */
  readonly openaiBaseUrl?: string | undefined;
  /** The client's profile (default: the newest). */
  readonly profile?: ClientProfile;
}

/** One caller migrated by PR #18811: gate first, then a request through the provider. */
export interface Callsite {
  readonly id: string;
  readonly title: string;
  readonly method: HttpMethod;
  /** Where the request goes, relative to the normalized ChatGPT (or OpenAI) base URL. */
  readonly target: 'chatgptBackend' | 'openaiApi' | 'authapi';
  /** The path appended to the base for each path style. */
  path(style: PathStyle): string;
  /** The gate the real caller applies before it builds any header. */
  gate(auth: CodexAuth, ctx?: GateContext): GateDecision;
  /** Source path(s) in openai/codex this callsite models. */
  readonly source: string;
  /**
   * Full URL when it is not `{normalized chatgpt base}{path(style)}` (e.g. the Apps MCP URL, or
   * model traffic whose base depends on the auth mode). Added by the callsites helper.
   */
  url?(bases: CallsiteBases, auth: CodexAuth, profile: ClientProfile): string;
  /** JSON body the endpoint takes (sent with content-type application/json). */
  readonly body?: unknown;
}

/**
 * Where a caller gets its auth: the AuthManager satisfies this. `auth()` loads (and proactively
 * refreshes) the current auth; `provider()` builds a header-only AuthProvider for it (agent task
 * registration happens here, before the provider exists); `onUnauthorized()` runs the recovery a
 * caller does after a 401 and says whether a retry is worthwhile.
 */
export interface AuthSource {
  auth(): Promise<CodexAuth>;
  provider(): Promise<AuthProvider>;
  onUnauthorized(): Promise<boolean>;
}
