import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SeedAuthMode as AuthMode } from '../../auth/codex-auth.js';
import { assertNever } from '../../assert-never.js';
import { ConformanceInputError } from '../../errors.js';
import { fingerprint } from '../../redact/fingerprint.js';

/**
 * Writes a scratch CODEX_HOME (auth.json + config.toml) for one real-CLI case, per auth mode.
 * Formats: auth.json per codex-rs/login/src/token_data.rs and codex-rs/login/src/auth/storage.rs
 * (`auth_mode`, `OPENAI_API_KEY`, `tokens{id_token,access_token,refresh_token,account_id}`, `last_refresh`;
 * `auth_mode` "apikey" / "chatgpt" as current Codex writes it on login: `login_with_api_key` in
 * codex-rs/login/src/auth/manager.rs@0126a9dd8ce398bce4ee305279fcd2030a7f24ed and
 * `persist_tokens_async` in codex-rs/login/src/server.rs);
 * config keys `chatgpt_base_url`, `openai_base_url`, `check_for_update_on_startup`,
 * `[analytics] enabled`, `[features] enable_request_compression` as accepted by 0.171.0
 * (codex-rs/core/src/config/mod.rs, codex-rs/features/src/lib.rs).
 * Agent identity is not stored in auth.json here: 0.171.0 reads it from env CODEX_ACCESS_TOKEN.
 * Host-supplied ChatGPT tokens never touch disk: they go in over app-server JSON-RPC
 * (`account/login/start`, type `chatgptAuthTokens`; see docs/real-cli.md).
 */
export type CodexHomeCredentials =
  | { readonly mode: 'apiKey'; readonly apiKey: string }
  | {
      readonly mode: 'chatgpt';
      readonly idToken: string;
      readonly accessToken: string;
      readonly refreshToken: string;
      readonly accountId?: string;
      /** RFC 3339; defaults to now so the binary does not refresh proactively. */
      readonly lastRefresh?: string;
      /** `OPENAI_API_KEY` kept beside the tokens (default null). */
      readonly apiKey?: string;
      /** `auth_mode` (default `chatgpt`); `apikey` with `apiKey`: the last login was the key (corpus B5). */
      readonly authMode?: 'apikey';
    }
  | { readonly mode: 'chatgptAuthTokens' }
  | { readonly mode: 'agentIdentity'; readonly jwt: string }
  /** A personal access token in CODEX_ACCESS_TOKEN (values starting `at-`, codex-rs/login/src/auth/access_token.rs; from 0.138). */
  | { readonly mode: 'personalAccessToken'; readonly token: string };

// Compile-time check that the credential union covers every auth mode.
type MissingModes = Exclude<AuthMode, CodexHomeCredentials['mode']>;
const coversEveryMode: MissingModes extends never ? true : false = true;
void coversEveryMode;

export interface CodexConfigOptions {
  /** Default `https://chatgpt.com/backend-api/`: production, served by the mock in the namespace. */
  readonly chatgptBaseUrl?: string;
  /** Unset by default (the binary then uses `https://api.openai.com/v1`). */
  readonly openaiBaseUrl?: string;
  /**
   * 0.171.0 zstd-compresses Responses request bodies in ChatGPT modes; Node 20 cannot inflate
   * zstd, so the default turns `enable_request_compression` off.
   */
  readonly requestCompression?: boolean;
  /** `model_provider` = a custom `[model_providers.conformance]` at this base, `requires_openai_auth = false`. */
  readonly customModelProviderBaseUrl?: string;
  /** `forced_chatgpt_workspace_id`. */
  readonly forcedChatgptWorkspaceId?: string;
  /** `[features] apps = true` (releases where Apps is experimental and off by default). */
  readonly appsFeature?: boolean;
  /**
   * `preferred_auth_method` (releases before PR #3189, rust-v0.35.0: `AuthMode` with
   * `#[serde(rename_all = "lowercase")]`, codex-rs/login/src/lib.rs@rust-v0.23.0; removed from
   * config.rs by #3189, so later releases ignore the key).
   */
  readonly preferredAuthMethod?: 'apikey';
  /**
   * `[projects."<dir>"] trust_level = "trusted"`: the interactive TUI opens in these directories
   * without its trust prompt (`projects` / `trust_level` in codex-rs/core/src/config/mod.rs).
   */
  readonly trustedProjects?: readonly string[];
  /**
   * `[notice]` answers the interactive TUI would otherwise stop at before its first frame: the
   * model migration prompts acknowledged (`hide_gpt5_1_migration_prompt`,
   * `hide_gpt-5.1-codex-max_migration_prompt`, `[notice.model_migrations]` old = new as the TUI
   * records an answer; the `Notice` struct of codex-rs/core/src/config/types.rs) and the rate-limit
   * model nudge hidden. Only the TUI reads them.
   */
  readonly tuiNotices?: boolean;
}

/**
 * Model migrations the TUI offers at start-up, as `current = target` (the `upgrade` entries of the
 * model catalogue bundled in the binaries: 0.99.0 offers every gpt-5.x model `gpt-5.3-codex`, and
 * its default is `gpt-5.2-codex`; 0.98.0's default has no upgrade; 0.171.0 offers none at start-up
 * with the mock's catalogue). An acknowledged pair is not offered again.
 */
export const ACKNOWLEDGED_MODEL_MIGRATIONS: Readonly<Record<string, string>> = {
  'gpt-5.2-codex': 'gpt-5.3-codex',
};

export const DEFAULT_CHATGPT_BASE_URL = 'https://chatgpt.com/backend-api/';

/** A TOML basic string: quotes, backslashes and control characters escaped. */
export function tomlString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function checkUrl(key: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch (e) {
    throw new ConformanceInputError('BAD_URL', `${key} "${value}" is not a URL.`, 'Pass an absolute http(s) URL.', { cause: e });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConformanceInputError('BAD_URL', `${key} "${value}" is not http(s).`, 'Pass an absolute http(s) URL.');
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConformanceInputError('BAD_URL', `${key} carries credentials.`, 'Remove the user:password part; auth goes in auth.json or env.');
  }
}

export function renderConfigToml(options: CodexConfigOptions = {}): string {
  const chatgpt = options.chatgptBaseUrl ?? DEFAULT_CHATGPT_BASE_URL;
  checkUrl('chatgptBaseUrl', chatgpt);
  const lines = [`chatgpt_base_url = ${tomlString(chatgpt)}`];
  if (options.openaiBaseUrl !== undefined) {
    checkUrl('openaiBaseUrl', options.openaiBaseUrl);
    lines.push(`openai_base_url = ${tomlString(options.openaiBaseUrl)}`);
  }
  if (options.preferredAuthMethod !== undefined) lines.push(`preferred_auth_method = ${tomlString(options.preferredAuthMethod)}`);
  if (options.forcedChatgptWorkspaceId !== undefined) lines.push(`forced_chatgpt_workspace_id = ${tomlString(options.forcedChatgptWorkspaceId)}`);
  if (options.customModelProviderBaseUrl !== undefined) {
    checkUrl('customModelProviderBaseUrl', options.customModelProviderBaseUrl);
    lines.push('model_provider = "conformance"');
  }
  lines.push(
    'check_for_update_on_startup = false',
    '',
    '[analytics]',
    'enabled = false',
    '',
    '[features]',
    `enable_request_compression = ${options.requestCompression === true}`,
    ...(options.appsFeature === true ? ['apps = true'] : []),
    '',
  );
  if (options.tuiNotices === true) {
    lines.push('[notice]', 'hide_gpt5_1_migration_prompt = true', '"hide_gpt-5.1-codex-max_migration_prompt" = true', 'hide_rate_limit_model_nudge = true', '');
    lines.push('[notice.model_migrations]', ...Object.entries(ACKNOWLEDGED_MODEL_MIGRATIONS).map(([from, to]) => `${tomlString(from)} = ${tomlString(to)}`), '');
  }
  for (const dir of options.trustedProjects ?? []) {
    if (!dir.startsWith('/')) throw new TypeError(`renderConfigToml: trusted project "${dir}" is not an absolute path`);
    lines.push(`[projects.${tomlString(dir)}]`, 'trust_level = "trusted"', '');
  }
  if (options.customModelProviderBaseUrl !== undefined) {
    lines.push('[model_providers.conformance]', 'name = "conformance"', `base_url = ${tomlString(options.customModelProviderBaseUrl)}`, 'wire_api = "responses"', 'requires_openai_auth = false', '');
  }
  return lines.join('\n');
}

function requireNonEmpty(what: string, value: string): void {
  if (value.length === 0 || /\s/.test(value)) {
    throw new ConformanceInputError(
      'NO_CREDENTIALS',
      `The ${what} is empty or contains whitespace (${value.length === 0 ? 'empty' : fingerprint(value)}).`,
      `Pass the ${what} exactly as the binary should send it.`,
    );
  }
}

/** auth.json text for the mode, or undefined when the mode keeps nothing on disk. */
export function renderAuthJson(credentials: CodexHomeCredentials, now: Date = new Date()): string | undefined {
  switch (credentials.mode) {
    case 'apiKey':
      requireNonEmpty('API key', credentials.apiKey);
      return `${JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: credentials.apiKey, tokens: null, last_refresh: null }, null, 2)}\n`;
    case 'chatgpt': {
      requireNonEmpty('id_token', credentials.idToken);
      requireNonEmpty('access_token', credentials.accessToken);
      requireNonEmpty('refresh_token', credentials.refreshToken);
      const tokens = {
        id_token: credentials.idToken,
        access_token: credentials.accessToken,
        refresh_token: credentials.refreshToken,
        account_id: credentials.accountId ?? null,
      };
      const lastRefresh = credentials.lastRefresh ?? now.toISOString();
      if (credentials.authMode === 'apikey' && credentials.apiKey === undefined) {
        throw new ConformanceInputError('NO_CREDENTIALS', 'auth_mode "apikey" beside ChatGPT tokens needs the API key stored with them.', 'Pass apiKey with the tokens, or leave authMode unset.');
      }
      return `${JSON.stringify({ auth_mode: credentials.authMode ?? 'chatgpt', OPENAI_API_KEY: credentials.apiKey ?? null, tokens, last_refresh: lastRefresh }, null, 2)}\n`;
    }
    case 'chatgptAuthTokens':
    case 'agentIdentity':
    case 'personalAccessToken':
      return undefined;
    default:
      return assertNever(credentials, 'credentials mode');
  }
}

/** Environment the binary needs for this home (never logged: it may hold the agent JWT). */
export function codexEnv(home: string, credentials: CodexHomeCredentials, caCertPath?: string): Record<string, string> {
  const env: Record<string, string> = { CODEX_HOME: home, HOME: home };
  if (caCertPath !== undefined) {
    env['CODEX_CA_CERTIFICATE'] = caCertPath;
    env['SSL_CERT_FILE'] = caCertPath;
  }
  if (credentials.mode === 'agentIdentity') {
    requireNonEmpty('agent identity JWT', credentials.jwt);
    env['CODEX_ACCESS_TOKEN'] = credentials.jwt;
  }
  if (credentials.mode === 'personalAccessToken') {
    requireNonEmpty('personal access token', credentials.token);
    env['CODEX_ACCESS_TOKEN'] = credentials.token;
  }
  return env;
}

export interface WrittenCodexHome {
  readonly home: string;
  readonly files: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

export async function writeCodexHome(
  home: string,
  credentials: CodexHomeCredentials,
  options: CodexConfigOptions & { readonly caCertPath?: string } = {},
): Promise<WrittenCodexHome> {
  const config = renderConfigToml(options);
  const auth = renderAuthJson(credentials);
  const env = codexEnv(home, credentials, options.caCertPath);
  await mkdir(home, { recursive: true, mode: 0o700 });
  const files = [join(home, 'config.toml')];
  await writeFile(files[0]!, config);
  if (auth !== undefined) {
    const path = join(home, 'auth.json');
    await writeFile(path, auth, { mode: 0o600 });
    await chmod(path, 0o600);
    files.push(path);
  }
  return { home, files, env };
}
