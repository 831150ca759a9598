import fc from 'fast-check';
import type { MockUrls } from '../../src/harness/mock-control.js';

/**
 * Spellings of a configured ChatGPT base URL that must all reach the same backend (URL.NORM.*:
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

/** Spellings of the production base: the default, without its slash, bare (normalized to /backend-api), the /api/codex style. */
export const PRODUCTION_BASE_VARIANTS = ['backend-api/', 'backend-api', '', 'api/codex'] as const;
export type ProductionBaseVariant = (typeof PRODUCTION_BASE_VARIANTS)[number];

/** A configured ChatGPT base: the mock's own (loopback) origin, or production served by the mock. */
export type BaseChoice =
  | { readonly host: 'mock'; readonly spelling: BaseUrlVariant }
  | { readonly host: 'production'; readonly spelling: ProductionBaseVariant };

export function baseUrlVariant(): fc.Arbitrary<BaseUrlVariant> {
  return fc.constantFrom(...BASE_URL_VARIANTS);
}

/** Bases a case may configure; production ones only where the mock serves the production hosts. */
export function baseChoice(productionHosts: boolean): fc.Arbitrary<BaseChoice> {
  const mock = baseUrlVariant().map((spelling): BaseChoice => ({ host: 'mock', spelling }));
  if (!productionHosts) return mock;
  return fc.oneof(mock, fc.constantFrom(...PRODUCTION_BASE_VARIANTS).map((spelling): BaseChoice => ({ host: 'production', spelling })));
}

/** The mock's own base in its canonical spelling (`{root}/backend-api/`). */
export const MOCK_BACKEND_API: BaseChoice = { host: 'mock', spelling: 'backend-api/' };
/** The production default `https://chatgpt.com/backend-api/`. */
export const PRODUCTION_BACKEND_API: BaseChoice = { host: 'production', spelling: 'backend-api/' };

/** The configured base URL for a variant, on the case's mock root. */
export function chatgptBaseUrlFor(urls: MockUrls, variant: BaseUrlVariant | BaseChoice): string {
  if (typeof variant === 'string') return `${urls.root}/${variant}`;
  return variant.host === 'mock' ? `${urls.root}/${variant.spelling}` : `https://chatgpt.com${variant.spelling === '' ? '' : `/${variant.spelling}`}`;
}

export function showBaseChoice(choice: BaseChoice): string {
  return choice.host === 'mock' ? `<mock>/${choice.spelling}` : `https://chatgpt.com${choice.spelling === '' ? '' : `/${choice.spelling}`}`;
}
