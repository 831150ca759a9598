import fc from 'fast-check';
import type { MockUrls } from '../../src/harness/mock-control.js';

/**
 * Spellings of a configured ChatGPT base URL that must all reach the same backend (URL.NORM.001:
 * trailing slashes are trimmed) and select the path style of their prefix (URL.STYLE.001).
 *
 * Left out on purpose: `/backend-api/codex` and the remote-control suffixes. Only the agent
 * identity normalizer strips them (codex-rs/agent-identity/src/lib.rs); the backend client and
 * the JWKS URL append to the base as written (codex-rs/backend-client/src/client.rs,
 * `agent_identity_jwks_url`), so with such a base the real client asks a path the real backend
 * does not serve. src/urls/*.test.ts covers their normalization.
 */
export const BASE_URL_VARIANTS = ['backend-api/', 'backend-api', 'backend-api//', 'api/codex', 'api/codex/'] as const;
export type BaseUrlVariant = (typeof BASE_URL_VARIANTS)[number];

export function baseUrlVariant(): fc.Arbitrary<BaseUrlVariant> {
  return fc.constantFrom(...BASE_URL_VARIANTS);
}

/** The configured base URL for a variant, on the case's mock root. */
export function chatgptBaseUrlFor(urls: MockUrls, variant: BaseUrlVariant): string {
  return `${urls.root}/${variant}`;
}
