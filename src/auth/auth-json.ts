/**
 * `$CODEX_HOME/auth.json`: its format, a strict parser, a serializer, and an atomic writer.
 *
 * Source: codex-rs/login/src/auth/storage.rs (`AuthDotJson`, `FileAuthStorage`) and
 * codex-rs/login/src/token_data.rs (`TokenData`). Fields, in the order the source writes them:
 * - `auth_mode` (optional, later versions): "apikey" | "chatgpt" | "chatgptAuthTokens" |
 *   "agentIdentity" (and, later still, "callerProvided" | "personalAccessToken" | "bedrockApiKey").
 *   When absent the mode is resolved: `OPENAI_API_KEY` present -> apikey, else chatgpt.
 * - `OPENAI_API_KEY`: string | null (always written).
 * - `tokens` (optional): { id_token (compact JWT string, parsed on load), access_token,
 *   refresh_token, account_id (string | null) }.
 * - `last_refresh` (optional): RFC 3339 instant.
 * - `agent_identity` (optional): the Agent Identity JWT (string) in recent versions; earlier
 *   versions stored the decoded record object { agent_runtime_id, agent_private_key, account_id,
 *   chatgpt_user_id, email, plan_type, chatgpt_account_is_fedramp }. Both are accepted.
 * - `personal_access_token` (optional, later versions): string.
 * Unknown top-level keys are ignored, as serde does (and are not written back).
 *
 * Writing differs on purpose: the source truncates auth.json in place (mode 0600); this reference
 * writes a temp file in the same directory, fsyncs it, and renames it over auth.json, so a crash or
 * an error never leaves a half-written file.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import { ConformanceInputError } from '../errors.js';
import type { IdTokenInfo } from './codex-auth.js';
import { parseIdToken } from './id-token.js';

export const AUTH_JSON_FILE = 'auth.json';

export const AUTH_JSON_MODES = [
  'apikey',
  'chatgpt',
  'chatgptAuthTokens',
  'agentIdentity',
  'callerProvided',
  'personalAccessToken',
  'bedrockApiKey',
] as const;
export type AuthJsonMode = (typeof AUTH_JSON_MODES)[number];

export interface AuthJsonTokens {
  readonly idToken: IdTokenInfo;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly accountId: string | null;
}

/** The agent identity record as earlier versions stored it (`AgentIdentityAuthRecord`). */
export interface AgentIdentityRecord {
  readonly agentRuntimeId: string;
  readonly agentPrivateKey: string;
  readonly accountId: string;
  readonly chatgptUserId: string;
  readonly email: string;
  readonly planType: string;
  readonly isFedramp: boolean;
}

export type AuthJsonAgentIdentity =
  | { readonly kind: 'jwt'; readonly jwt: string }
  | { readonly kind: 'record'; readonly record: AgentIdentityRecord };

export interface AuthJson {
  readonly authMode?: AuthJsonMode;
  readonly openaiApiKey: string | null;
  readonly tokens?: AuthJsonTokens;
  /** RFC 3339, kept as written. */
  readonly lastRefresh?: string;
  readonly agentIdentity?: AuthJsonAgentIdentity;
  readonly personalAccessToken?: string;
  /** `bedrock_api_key: {api_key, region}` (0.140.0 on). */
  readonly bedrockApiKey?: { readonly apiKey: string; readonly region: string };
}

const FIX_FORMAT =
  'Write auth.json as {"OPENAI_API_KEY": string|null, "tokens": {"id_token", "access_token", "refresh_token", "account_id"}, "last_refresh": RFC 3339} (or run `codex login` again).';

function malformed(problem: string, cause?: unknown): ConformanceInputError {
  return new ConformanceInputError(
    'AUTH_JSON_MALFORMED',
    `auth.json is malformed: ${problem}`,
    FIX_FORMAT,
    cause === undefined ? undefined : { cause },
  );
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `Option<T>` without a default: absent or null -> undefined. */
function optString(obj: Record<string, unknown>, key: string, path: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw malformed(`field ${path} must be a string or null, got ${typeName(value)}.`);
  return value;
}

function reqString(obj: Record<string, unknown>, key: string, path: string): string {
  const value = obj[key];
  if (value === undefined) throw malformed(`field ${path} is missing.`);
  if (typeof value !== 'string') throw malformed(`field ${path} must be a string, got ${typeName(value)}.`);
  return value;
}

const RFC3339 =
  /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function isRfc3339(value: string): boolean {
  return RFC3339.test(value) && !Number.isNaN(Date.parse(value.replace(' ', 'T')));
}

function parseTokens(value: unknown): AuthJsonTokens | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw malformed(`field tokens must be an object or null, got ${typeName(value)}.`);
  const rawIdToken = reqString(value, 'id_token', 'tokens.id_token');
  let idToken: IdTokenInfo;
  try {
    idToken = parseIdToken(rawIdToken);
  } catch (cause) {
    throw malformed(`field tokens.id_token is not a decodable JWT (${(cause as Error).message})`, cause);
  }
  return {
    idToken,
    accessToken: reqString(value, 'access_token', 'tokens.access_token'),
    refreshToken: reqString(value, 'refresh_token', 'tokens.refresh_token'),
    accountId: optString(value, 'account_id', 'tokens.account_id') ?? null,
  };
}

function parseAgentIdentity(value: unknown): AuthJsonAgentIdentity | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return { kind: 'jwt', jwt: value };
  if (!isObject(value)) {
    throw malformed(`field agent_identity must be a JWT string or a record object, got ${typeName(value)}.`);
  }
  const fedramp = value['chatgpt_account_is_fedramp'];
  if (typeof fedramp !== 'boolean') {
    throw malformed('field agent_identity.chatgpt_account_is_fedramp must be a boolean.');
  }
  return {
    kind: 'record',
    record: {
      agentRuntimeId: reqString(value, 'agent_runtime_id', 'agent_identity.agent_runtime_id'),
      agentPrivateKey: reqString(value, 'agent_private_key', 'agent_identity.agent_private_key'),
      accountId: reqString(value, 'account_id', 'agent_identity.account_id'),
      chatgptUserId: reqString(value, 'chatgpt_user_id', 'agent_identity.chatgpt_user_id'),
      email: reqString(value, 'email', 'agent_identity.email'),
      planType: reqString(value, 'plan_type', 'agent_identity.plan_type'),
      isFedramp: fedramp,
    },
  };
}

/** Parses auth.json text; every problem is an AUTH_JSON_MALFORMED error naming the field. */
export function parseAuthJson(text: string): AuthJson {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (cause) {
    throw malformed('the file is not valid JSON.', cause);
  }
  if (!isObject(root)) throw malformed(`the top level must be an object, got ${typeName(root)}.`);

  const rawMode = root['auth_mode'];
  let authMode: AuthJsonMode | undefined;
  if (rawMode !== undefined && rawMode !== null) {
    if (typeof rawMode !== 'string' || !(AUTH_JSON_MODES as readonly string[]).includes(rawMode)) {
      throw malformed(
        `field auth_mode must be one of ${AUTH_JSON_MODES.join(', ')}; got ${typeof rawMode === 'string' ? JSON.stringify(rawMode) : typeName(rawMode)}.`,
      );
    }
    authMode = rawMode as AuthJsonMode;
  }
  const openaiApiKey = optString(root, 'OPENAI_API_KEY', 'OPENAI_API_KEY') ?? null;
  const tokens = parseTokens(root['tokens']);
  const lastRefresh = optString(root, 'last_refresh', 'last_refresh');
  if (lastRefresh !== undefined && !isRfc3339(lastRefresh)) {
    throw malformed(`field last_refresh must be an RFC 3339 instant, got ${JSON.stringify(lastRefresh)}.`);
  }
  const agentIdentity = parseAgentIdentity(root['agent_identity']);
  const personalAccessToken = optString(root, 'personal_access_token', 'personal_access_token');
  const bedrockApiKey = parseBedrockApiKey(root['bedrock_api_key']);
  return {
    ...(authMode !== undefined && { authMode }),
    openaiApiKey,
    ...(tokens !== undefined && { tokens }),
    ...(lastRefresh !== undefined && { lastRefresh }),
    ...(agentIdentity !== undefined && { agentIdentity }),
    ...(personalAccessToken !== undefined && { personalAccessToken }),
    ...(bedrockApiKey !== undefined && { bedrockApiKey }),
  };
}

function parseBedrockApiKey(value: unknown): { apiKey: string; region: string } | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw malformed(`field bedrock_api_key must be an object {api_key, region}, got ${typeName(value)}.`);
  return { apiKey: reqString(value, 'api_key', 'bedrock_api_key.api_key'), region: reqString(value, 'region', 'bedrock_api_key.region') };
}

/** The mode the source resolves when `auth_mode` is absent (`AuthDotJson::resolved_mode`). */
export function resolvedAuthJsonMode(data: AuthJson): AuthJsonMode {
  if (data.authMode !== undefined) return data.authMode;
  if (data.openaiApiKey === null && data.tokens === undefined && data.bedrockApiKey !== undefined) return 'bedrockApiKey';
  return data.openaiApiKey !== null ? 'apikey' : 'chatgpt';
}

/** Pretty JSON (2-space indent, trailing newline omitted) in the field order the source writes. */
export function serializeAuthJson(data: AuthJson): string {
  const out: Record<string, unknown> = {};
  if (data.authMode !== undefined) out['auth_mode'] = data.authMode;
  out['OPENAI_API_KEY'] = data.openaiApiKey;
  if (data.tokens !== undefined) {
    out['tokens'] = {
      id_token: data.tokens.idToken.rawJwt,
      access_token: data.tokens.accessToken,
      refresh_token: data.tokens.refreshToken,
      account_id: data.tokens.accountId,
    };
  }
  if (data.lastRefresh !== undefined) out['last_refresh'] = data.lastRefresh;
  if (data.agentIdentity !== undefined) {
    const ai = data.agentIdentity;
    out['agent_identity'] =
      ai.kind === 'jwt'
        ? ai.jwt
        : {
            agent_runtime_id: ai.record.agentRuntimeId,
            agent_private_key: ai.record.agentPrivateKey,
            account_id: ai.record.accountId,
            chatgpt_user_id: ai.record.chatgptUserId,
            email: ai.record.email,
            plan_type: ai.record.planType,
            chatgpt_account_is_fedramp: ai.record.isFedramp,
          };
  }
  if (data.personalAccessToken !== undefined) out['personal_access_token'] = data.personalAccessToken;
  if (data.bedrockApiKey !== undefined) out['bedrock_api_key'] = { api_key: data.bedrockApiKey.apiKey, region: data.bedrockApiKey.region };
  return JSON.stringify(out, null, 2);
}

export function authJsonPath(codexHome: string): string {
  return join(codexHome, AUTH_JSON_FILE);
}

/**
 * Reads and parses `$CODEX_HOME/auth.json`; AUTH_JSON_MISSING when it is absent or unreadable.
 * One small synchronous read, as the Rust client's std::fs read (a thread-pool round trip per
 * file operation costs more than reading a few hundred bytes).
 */
export async function readAuthJson(codexHome: string): Promise<AuthJson> {
  const path = authJsonPath(codexHome);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ConformanceInputError(
      'AUTH_JSON_MISSING',
      code === 'ENOENT'
        ? `No auth.json in ${codexHome}.`
        : `auth.json in ${codexHome} could not be read (${code}).`,
      'Log in (`codex login`), set CODEX_API_KEY, or point CODEX_HOME at a directory holding a readable auth.json.',
      { cause },
    );
  }
  return parseAuthJson(text);
}

/** The file operations the atomic writer uses; injectable so tests can make any step fail. */
export interface AtomicWriteIo {
  readonly mkdir: typeof fsp.mkdir;
  readonly open: typeof fsp.open;
  readonly rename: typeof fsp.rename;
  readonly rm: typeof fsp.rm;
}

const NODE_IO: AtomicWriteIo = { mkdir: fsp.mkdir, open: fsp.open, rename: fsp.rename, rm: fsp.rm };

/**
 * Writes auth.json atomically: temp file in the same directory (created exclusively, mode 0600),
 * write, fsync, close, rename over auth.json, then fsync the directory (best effort). On any
 * failure the temp file is removed and the previous auth.json is left untouched.
 */
export async function writeAuthJsonAtomic(
  codexHome: string,
  data: AuthJson,
  io: AtomicWriteIo = NODE_IO,
): Promise<void> {
  const text = serializeAuthJson(data);
  const target = authJsonPath(codexHome);
  const temp = join(codexHome, `.${AUTH_JSON_FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    await io.mkdir(codexHome, { recursive: true, mode: 0o700 });
    const handle = await io.open(temp, 'wx', 0o600);
    created = true;
    try {
      await handle.chmod(0o600); // the umask may have narrowed or the platform widened it
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await io.rename(temp, target);
    created = false;
  } catch (cause) {
    if (created) await io.rm(temp, { force: true }).catch(() => undefined);
    throw new ConformanceInputError(
      'AUTH_JSON_WRITE_FAILED',
      `Could not write auth.json in ${codexHome} (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}); the previous file, if any, is unchanged.`,
      'Check that CODEX_HOME is a writable directory on a disk with free space.',
      { cause },
    );
  }
  await syncDirectory(codexHome);
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch {
    // Directory fsync is not supported everywhere; the rename itself is already atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
