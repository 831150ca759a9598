import type { PathStyle } from '../callsites/callsite.js';

export type { PathStyle } from '../callsites/callsite.js';

/**
 * Path style of the backend client for a normalized ChatGPT base URL: a base containing
 * `/backend-api` uses `/wham/...` paths, anything else `/api/codex/...` paths.
 * Source: codex-rs/backend-client/src/client.rs (`PathStyle::from_base_url`).
 */
export function pathStyleFor(normalizedBase: string): PathStyle {
  if (normalizedBase.includes('/backend-api')) return 'wham';
  // Stryker disable next-line StringLiteral: equivalent because every callsite's path function picks its /wham path for 'wham' and its /api/codex path for anything else
  return 'codexApi';
}
