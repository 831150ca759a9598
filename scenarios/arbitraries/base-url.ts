import fc from 'fast-check';
import { assertNever } from '../../src/assert-never.js';
import type { MockUrls } from '../../src/harness/mock-control.js';

/**
 * Spellings of a configured ChatGPT base URL on the mock's own origin, the ones every mock
 * transport serves (URL.NORM.*: trailing slashes are trimmed; URL.STYLE.001: the prefix selects
 * the path style). Regression scenarios store these.
 */
export const BASE_URL_VARIANTS = ['backend-api/', 'backend-api', 'backend-api//', 'api/codex', 'api/codex/'] as const;
export type BaseUrlVariant = (typeof BASE_URL_VARIANTS)[number];

/** Spellings of the production base: the default, without its slash, bare (normalized to /backend-api), the /api/codex style. */
export const PRODUCTION_BASE_VARIANTS = ['backend-api/', 'backend-api', '', 'api/codex'] as const;
export type ProductionBaseVariant = (typeof PRODUCTION_BASE_VARIANTS)[number];

/**
 * Every spelling the normalizers handle (the paths after the origin): bare, `/backend-api` with
 * and without `/` and doubled, `/api/codex` with and without `/`, a trailing `/codex` (alone and
 * after `/backend-api`), and both remote-control suffixes. The agent identity normalizer of
 * PR #18811 strips the suffixes and `/codex` (codex-rs/agent-identity/src/lib.rs); the backend
 * client, the Apps MCP URL and the JWKS URL append to the base as written
 * (codex-rs/backend-client/src/client.rs, codex-rs/codex-mcp/src/mcp/mod.rs), so with such a base a
 * request goes where the real backend serves nothing: the rules judge the URL all the same
 * (src/rules/contract/urls.ts), and where the table says the pinned source does not settle a
 * case (`unknown`) the rule is not judged.
 */
export const BASE_SPELLINGS = [
  '',
  'backend-api',
  'backend-api/',
  'backend-api//',
  'api/codex',
  'api/codex/',
  'codex',
  'backend-api/codex',
  'backend-api/wham/remote/control/server',
  'backend-api/wham/remote/control/server/enroll/',
] as const;
export type BaseSpelling = (typeof BASE_SPELLINGS)[number];

/**
 * Hosts a configured base may name: the mock's own origin (every transport), production
 * (where the production hosts reach the mock), and staging, a custom https host, `localhost`
 * and `[::1]` (where the mock answers any origin: in process, MSW intercepts them).
 */
export const BASE_HOSTS = ['mock', 'production', 'staging', 'custom', 'localhost', 'ipv6'] as const;
export type BaseHost = (typeof BASE_HOSTS)[number];

/** Origins of the hosts other than the mock's own; loopback ones take the mock root's port. */
export const STAGING_ORIGIN = 'https://chatgpt-staging.com';
export const CUSTOM_ORIGIN = 'https://codex-gateway.example.test';

/** A configured ChatGPT base: a host and the spelling of its path. */
export type BaseChoice =
  | { readonly host: 'mock'; readonly spelling: BaseUrlVariant | BaseSpelling }
  | { readonly host: Exclude<BaseHost, 'mock'>; readonly spelling: BaseSpelling };

/** What a mock serves, as far as the generators need it (MockControl). */
export interface BaseHostSupport {
  readonly productionHosts: boolean;
  /** The mock answers any origin a case names (staging, custom, localhost, [::1]). */
  readonly anyHost?: boolean | undefined;
  /** With production hosts, the staging hosts reach the mock too (a port mock in the namespace). */
  readonly stagingHosts?: boolean | undefined;
}

/** The hosts a case may configure with this mock. */
export function availableHosts(support: BaseHostSupport | boolean): readonly BaseHost[] {
  const s: BaseHostSupport = typeof support === 'boolean' ? { productionHosts: support } : support;
  if (s.anyHost === true) return BASE_HOSTS;
  if (!s.productionHosts) return ['mock'];
  return s.stagingHosts === true ? ['mock', 'production', 'staging'] : ['mock', 'production'];
}

export function baseUrlVariant(): fc.Arbitrary<BaseUrlVariant> {
  return fc.constantFrom(...BASE_URL_VARIANTS);
}

/**
 * Bases a case may configure: on the mock's origin only the spellings every transport serves
 * (a port mock's per-case prefix), elsewhere every spelling, on every host the mock answers.
 * The mock's origin keeps half the weight so the served spellings stay common.
 */
export function baseChoice(support: BaseHostSupport | boolean): fc.Arbitrary<BaseChoice> {
  const hosts = availableHosts(support);
  const mock = baseUrlVariant().map((spelling): BaseChoice => ({ host: 'mock', spelling }));
  const others = hosts.filter((h): h is Exclude<BaseHost, 'mock'> => h !== 'mock');
  if (others.length === 0) return mock;
  if (others.length === 1 && others[0] === 'production') {
    return fc.oneof(mock, fc.constantFrom(...PRODUCTION_BASE_VARIANTS).map((spelling): BaseChoice => ({ host: 'production', spelling })));
  }
  if (!hosts.includes('custom')) {
    // Production and staging on a port mock in the namespace: the spellings its listener serves.
    return fc.oneof(mock, fc.record({ host: fc.constantFrom(...others), spelling: fc.constantFrom(...PRODUCTION_BASE_VARIANTS) }).map((c): BaseChoice => c));
  }
  const anywhere = fc.record({ host: fc.constantFrom(...others), spelling: fc.constantFrom(...BASE_SPELLINGS) }).map((c): BaseChoice => c);
  return fc.oneof(mock, anywhere);
}

/** The mock's own base in its canonical spelling (`{root}/backend-api/`). */
export const MOCK_BACKEND_API: BaseChoice = { host: 'mock', spelling: 'backend-api/' };
/** The production default `https://chatgpt.com/backend-api/`. */
export const PRODUCTION_BACKEND_API: BaseChoice = { host: 'production', spelling: 'backend-api/' };

function portOf(root: string): string {
  const port = new URL(root).port;
  return port === '' ? '' : `:${port}`;
}

/** The origin a host stands for, on the case's mock root. */
export function originFor(urls: Pick<MockUrls, 'root'>, host: BaseHost): string {
  switch (host) {
    case 'mock':
      return urls.root;
    case 'production':
      return 'https://chatgpt.com';
    case 'staging':
      return STAGING_ORIGIN;
    case 'custom':
      return CUSTOM_ORIGIN;
    case 'localhost':
      return `http://localhost${portOf(urls.root)}`;
    case 'ipv6':
      return `http://[::1]${portOf(urls.root)}`;
    default:
      return assertNever(host, 'base host');
  }
}

/** The configured base URL for a variant, on the case's mock root. */
export function chatgptBaseUrlFor(urls: MockUrls, variant: BaseUrlVariant | BaseChoice): string {
  if (typeof variant === 'string') return `${urls.root}/${variant}`;
  const origin = originFor(urls, variant.host);
  return variant.spelling === '' ? origin : `${origin}/${variant.spelling}`;
}

export function showBaseChoice(choice: BaseChoice): string {
  const origin = choice.host === 'mock' ? '<mock>' : originFor({ root: 'http://127.0.0.1:1' }, choice.host).replace(/:1$/u, ':<port>');
  return choice.spelling === '' ? origin : `${origin}/${choice.spelling}`;
}
