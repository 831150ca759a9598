import { chmod } from 'node:fs/promises';
import { type AuthJson, authJsonPath, readAuthJson, writeAuthJsonAtomic } from './auth-json.js';
import type { AuthManagerConfig } from './auth-manager-config.js';
import type { CodexAuth } from './codex-auth.js';
import { parseIdToken } from './id-token.js';
import { RefreshFailedError, type RefreshedTokens } from './token-refresh.js';

/**
 * Where a redeemed token pair goes. `persist_tokens` (codex-rs/login/src/auth/manager.rs@0126a9dd,
 * called by `refresh_and_persist_chatgpt_token`): only the tokens the endpoint returned replace
 * the stored ones, last_refresh is stamped, and auth.json is written atomically. Beside it the
 * mutants' ways: `tokensOnly` drops the keys the refresh does not own, `worldReadable` leaves the
 * file 0644, `memoryOnly` keeps the pair in memory and never writes it.
 */
export async function persistRefreshedTokens(codexHome: string, tokens: RefreshedTokens, now: () => Date, style: AuthManagerConfig['persistRefresh']): Promise<void> {
  const data = await readAuthJson(codexHome);
  const existing = data.tokens;
  let idToken = existing?.idToken;
  if (tokens.idToken !== undefined) {
    try {
      idToken = parseIdToken(tokens.idToken);
    } catch (cause) {
      throw new RefreshFailedError({ reason: 'other', status: 200, permanent: false }, { cause });
    }
  }
  if (idToken === undefined) {
    throw new RefreshFailedError({ reason: 'other', status: 200, permanent: false });
  }
  const next: AuthJson = {
    ...(style === 'tokensOnly' ? { openaiApiKey: null } : data),
    tokens: {
      idToken,
      accessToken: tokens.accessToken ?? existing?.accessToken ?? '',
      refreshToken: tokens.refreshToken ?? existing?.refreshToken ?? '',
      accountId: existing?.accountId ?? null,
    },
    lastRefresh: now().toISOString(),
  };
  await writeAuthJsonAtomic(codexHome, next);
  // The mutant: a writer that creates the file with the default mode (0666 & ~022).
  if (style === 'worldReadable') await chmod(authJsonPath(codexHome), 0o644);
}

/** The `memoryOnly` mutant: the auth in use with the new pair over it, as if refreshed, never written. */
export function withTokensInMemory(current: CodexAuth & { mode: 'chatgpt' }, tokens: RefreshedTokens, now: () => Date): CodexAuth {
  return {
    ...current,
    tokens: {
      ...current.tokens,
      ...(tokens.idToken !== undefined ? { idToken: parseIdToken(tokens.idToken) } : {}),
      ...(tokens.accessToken !== undefined ? { accessToken: tokens.accessToken } : {}),
      ...(tokens.refreshToken !== undefined ? { refreshToken: tokens.refreshToken } : {}),
    },
    lastRefresh: now().toISOString(),
  };
}
