import fc from 'fast-check';
import type { MockUrls } from '../../src/harness/mock-control.js';

/**
 * Spellings of a configured ChatGPT base URL that must all normalize to the same backend
 * (URL.NORM.001) and select the path style of their prefix (URL.STYLE.001).
 */
export const BASE_URL_VARIANTS = [
  'backend-api/',
  'backend-api',
  'backend-api//',
  'backend-api/codex',
  'backend-api/wham/remote/control/server',
  'api/codex',
  'api/codex/',
] as const;
export type BaseUrlVariant = (typeof BASE_URL_VARIANTS)[number];

export function baseUrlVariant(): fc.Arbitrary<BaseUrlVariant> {
  return fc.constantFrom(...BASE_URL_VARIANTS);
}

/** The configured base URL for a variant, on the case's mock root. */
export function chatgptBaseUrlFor(urls: MockUrls, variant: BaseUrlVariant): string {
  return `${urls.root}/${variant}`;
}
