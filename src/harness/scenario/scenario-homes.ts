/**
 * The CODEX_HOME files of a black-box scenario: the auth.json (or env) form of a login, the home as
 * the default runner prepares it, writes of auth.json as another process would (0600, or removed),
 * and snapshots of it after each step (fingerprints, mode, inode: no secret kept).
 */
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertNever } from '../../assert-never.js';
import { fingerprint } from '../../redact/fingerprint.js';
import { renderAuthJson, type CodexHomeCredentials } from './codex-home.js';
import type { AuthJsonSnapshot } from './recording.js';
import type { PlayContext, PreparedHome, ResolvedLogin } from './run-scenario.js';
import type { HomeSetup } from './scenario.js';

/** The auth.json (or env) form of a login, for codex-home.ts. */
export function homeCredentials(login: ResolvedLogin | undefined): CodexHomeCredentials {
  if (login === undefined) return { mode: 'chatgptAuthTokens' };
  const c = login.credential;
  switch (c.kind) {
    case 'apiKey':
      return { mode: 'apiKey', apiKey: c.apiKey };
    case 'chatgptTokens':
      return { mode: 'chatgpt', idToken: c.idToken, accessToken: c.accessToken, refreshToken: c.refreshToken, ...(login.storedAccountId ? { accountId: c.account.id } : {}), lastRefresh: login.lastRefresh, ...(login.apiKey === undefined ? {} : { apiKey: login.apiKey }), ...(login.authMode === undefined ? {} : { authMode: login.authMode }) };
    case 'hostTokens':
      return { mode: 'chatgptAuthTokens' };
    case 'agentIdentity':
      return { mode: 'agentIdentity', jwt: c.jwt };
    case 'personalAccessToken':
      return { mode: 'personalAccessToken', token: c.token };
    default:
      return assertNever(c, 'credential');
  }
}

export async function snapshotAuthJson(home: PreparedHome, label: string, afterStep: number, actor: string | undefined): Promise<AuthJsonSnapshot> {
  const base = { home: home.id, label, afterStep, ...(actor === undefined ? {} : { actor }) };
  let text: string;
  let info: import('node:fs').Stats;
  try {
    [info, text] = await Promise.all([stat(home.authPath), readFile(home.authPath, 'utf8')]);
  } catch {
    return { ...base, present: false };
  }
  const meta = { ...base, present: true, mode: (info.mode & 0o777).toString(8), inode: info.ino };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ...meta, parses: false };
  }
  const o = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const t = (typeof o['tokens'] === 'object' && o['tokens'] !== null ? o['tokens'] : {}) as Record<string, unknown>;
  const fp = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? fingerprint(v) : null);
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    ...meta,
    parses: true,
    authMode: str(o['auth_mode']),
    accountId: str(t['account_id']),
    lastRefresh: str(o['last_refresh']),
    tokens: { idToken: fp(t['id_token']), accessToken: fp(t['access_token']), refreshToken: fp(t['refresh_token']) },
    apiKey: fp(o['OPENAI_API_KEY']),
  };
}

export async function writeAuthFile(path: string, text: string | undefined): Promise<void> {
  if (text === undefined) {
    await rm(path, { force: true });
    return;
  }
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, 0o600);
}

export async function defaultPrepareHome(home: HomeSetup, dir: string, login: ResolvedLogin | undefined, ctx: PlayContext): Promise<PreparedHome> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const authPath = join(dir, 'auth.json');
  await writeAuthFile(authPath, renderAuthJson(homeCredentials(login), new Date(ctx.mock.backend.now())));
  const base = home.chatgptBaseUrl === undefined ? undefined : home.chatgptBaseUrl.kind === 'url' ? home.chatgptBaseUrl.url : ctx.mock.mockOriginBase;
  return { id: home.id, dir, authPath, ...(login === undefined ? {} : { login }), ...(base === undefined ? {} : { chatgptBaseUrl: base }) };
}
