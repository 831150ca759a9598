/**
 * The third-party npm clients of Codex's ChatGPT-subscription auth that the ecosystem run judges,
 * each pinned to one published version and driven through its own public API by a driver
 * (driver protocol v1) in examples/drivers/ecosystem/. Read each package before changing a pin:
 * hosts, refresh and auth.json handling change between releases.
 */
export const ECOSYSTEM_CLIENT_IDS = ['codex-as-api', 'openai-oauth', 'pi-ai', 'opencode-openai-codex-auth'] as const;
export type EcosystemClientId = (typeof ECOSYSTEM_CLIENT_IDS)[number];

/** Who holds the tokens: the package reads and writes CODEX_HOME/auth.json, or its caller does. */
export type TokenCustody = 'codexHome' | 'caller';

export interface EcosystemClient {
  readonly id: string;
  /** npm package name and the exact version installed. */
  readonly npmName: string;
  readonly version: string;
  /** Extra packages installed alongside (exact versions), e.g. a peer the public API needs. */
  readonly alongside?: readonly string[];
  /** Driver script, relative to the repository root. */
  readonly driver: string;
  readonly custody: TokenCustody;
  /** The package takes a custom ChatGPT/Codex base URL through its public API. */
  readonly customBaseUrl: boolean;
  /** One line on how the driver reaches the package (README table). */
  readonly drivenThrough: string;
  /**
   * A local stand-in (test data, never downloaded): the driver loads it itself, no install dir.
   * Only selectable by id (`--impl ecosystem:<id>`), never part of the default table.
   */
  readonly local?: true;
  /** How it holds the Codex login beside the codex binary (the coexistence scenarios; README table). */
  readonly coexistsAs?: string;
  /** Extra driver arguments (e.g. how a stand-in misbehaves). */
  readonly driverArgs?: readonly string[];
}

export const ECOSYSTEM_CLIENTS: readonly EcosystemClient[] = [
  {
    id: 'codex-as-api',
    npmName: 'codex-as-api',
    version: '0.7.0',
    driver: 'examples/drivers/ecosystem/codex-as-api.mjs',
    custody: 'codexHome',
    customBaseUrl: true,
    drivenThrough: '`new ChatGPTOAuthProvider({ baseUrl? }).chat(messages)` (reads CODEX_HOME/auth.json)',
    coexistsAs: 'shares CODEX_HOME/auth.json (reads and writes it itself)',
  },
  {
    id: 'openai-oauth',
    npmName: 'openai-oauth',
    version: '2.0.0',
    driver: 'examples/drivers/ecosystem/openai-oauth.mjs',
    custody: 'codexHome',
    customBaseUrl: true,
    drivenThrough: '`createOpenAIOAuthFetchHandler({ baseURL? })` with `POST /v1/responses` (reads CODEX_HOME/auth.json)',
    coexistsAs: 'shares CODEX_HOME/auth.json (reads and writes it itself)',
  },
  {
    id: 'pi-ai',
    npmName: '@mariozechner/pi-ai',
    version: '0.73.1',
    driver: 'examples/drivers/ecosystem/pi-ai.mjs',
    custody: 'caller',
    customBaseUrl: true,
    drivenThrough: '`getOAuthApiKey("openai-codex", credentials)` then `complete(model, context, { apiKey })` (the caller holds the tokens)',
    coexistsAs: 'its caller imports the Codex login from CODEX_HOME/auth.json and keeps refreshed credentials in its own store (README 0.73.1, "Using OAuth Tokens": "Credential storage is the caller\'s responsibility."; it shows no write to CODEX_HOME)',
  },
  {
    id: 'opencode-openai-codex-auth',
    npmName: 'opencode-openai-codex-auth',
    version: '4.4.0',
    driver: 'examples/drivers/ecosystem/opencode-openai-codex-auth.mjs',
    custody: 'caller',
    customBaseUrl: false,
    drivenThrough: 'the plugin\'s `auth.loader(getAuth, provider)` and the `fetch` it returns, called as opencode\'s AI SDK does (`POST {baseURL}/responses`)',
    coexistsAs: 'its own login (README 4.4.0 documents only `opencode auth login`; the plugin reads credentials from opencode\'s store, never from CODEX_HOME): another login family of the same account',
  },
];

/**
 * Local stand-ins for `npm test` (src/harness/ecosystem/testdata/stand-in/): a small package with
 * the shape of the real clients (reads CODEX_HOME/auth.json, refreshes, posts to
 * chatgpt.com/backend-api/codex/responses) and deliberate flaws, plus variants that crash or hang.
 */
export const STAND_IN_CLIENTS: readonly EcosystemClient[] = (['works', 'crash', 'hang'] as const).map((mode) => ({
  id: mode === 'works' ? 'stand-in' : `stand-in-${mode}`,
  npmName: 'codex-auth-stand-in',
  version: '0.0.0',
  driver: 'src/harness/ecosystem/testdata/stand-in/stand-in-driver.mjs',
  custody: 'codexHome',
  customBaseUrl: true,
  drivenThrough: 'the stand-in\'s `respond(prompt)` (test data)',
  local: true,
  driverArgs: ['--mode', mode],
}));

export function ecosystemClient(id: string): EcosystemClient | undefined {
  return [...ECOSYSTEM_CLIENTS, ...STAND_IN_CLIENTS].find((c) => c.id === id);
}
