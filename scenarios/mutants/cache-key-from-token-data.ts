import type { CodexAuth } from '../../src/auth/codex-auth.js';
import { appsToolsCacheKey, type AppsToolsCacheKey } from '../../src/cache/apps-tools-cache.js';
import { defineMutant } from './mutant.js';

/**
 * PR #18811 review finding 2: the Codex Apps tools cache key was derived from ChatGPT token data
 * (`auth.get_token_data()`), which only the ChatGPT-token modes have. For an agent identity the
 * token data is absent, so every identity got `{account_id: None, chatgpt_user_id: None,
 * is_workspace_account: false}` and they all shared one cache entry and one disk file. The fix
 * derives the key from the generic getters (codex-rs/codex-mcp/src/codex_apps.rs
 * `codex_apps_tools_cache_key`; the old body is in codex-rs/core/src/mcp_connection_manager.rs).
 */
function keyFromTokenData(auth: CodexAuth): AppsToolsCacheKey {
  // Token data exists for the ChatGPT-token modes only; for them it agrees with the getters.
  if (auth.mode === 'chatgpt' || auth.mode === 'chatgptAuthTokens') return appsToolsCacheKey(auth);
  return { accountId: undefined, chatgptUserId: undefined, isWorkspaceAccount: false };
}

export const cacheKeyFromTokenData = defineMutant({
  name: 'cache-key-from-token-data',
  description:
    'The Apps tools cache key is read from ChatGPT token data, which agent identities lack, so every agent identity shares the key {None, None, false} (and one disk file).',
  breaks: { pr18811: 'CACHE.KEY.001', 'codex-0.171': 'CACHE.KEY.001' },
  source: 'https://github.com/openai/codex/pull/18811 (review finding 2); codex-rs/codex-mcp/src/codex_apps.rs',
  parts: { appsToolsCacheKey: keyFromTokenData },
});
