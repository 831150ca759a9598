import { defineMutant } from './mutant.js';

/**
 * A refresh rewrites auth.json with only the tokens and last_refresh, dropping OPENAI_API_KEY and
 * auth_mode, which the writer does not own (seen in the wild: openai-oauth 2.0.0 dropped
 * OPENAI_API_KEY). Codex's `persist_tokens` reloads the store and replaces only the returned token
 * fields and last_refresh (codex-rs/login/src/auth/manager.rs).
 */
export const refreshDropsForeignKeys = defineMutant({
  name: 'refresh-drops-foreign-keys',
  description: 'The refresh writes auth.json with only tokens and last_refresh, dropping OPENAI_API_KEY and auth_mode it does not own.',
  breaks: { pr18811: 'SHARE.WRITE.001', 'codex-0.171': 'SHARE.WRITE.001' },
  source: 'codex-rs/login/src/auth/manager.rs',
  parts: { persistRefresh: 'tokensOnly' },
});
