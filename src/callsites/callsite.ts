import type { CodexAuth } from '../auth/codex-auth.js';

/** How backend paths are spelled: `/wham/...` under `/backend-api`, else `/api/codex/...`. */
export const PATH_STYLES = ['wham', 'codexApi'] as const;
export type PathStyle = (typeof PATH_STYLES)[number];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type GateDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

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
  gate(auth: CodexAuth): GateDecision;
  /** Source path(s) in openai/codex this callsite models. */
  readonly source: string;
}
