import { defineMutant } from './mutant.js';

/**
 * The client redeems the refresh token it read from CODEX_HOME and keeps the rotated pair in
 * memory only, so auth.json still holds the spent generation and the next Codex process gets
 * `refresh_token_reused` (hermes-agent before PR #8277, antiburn #442). Codex persists every
 * successful refresh (`refresh_and_persist_chatgpt_token`, codex-rs/login/src/auth/manager.rs).
 */
export const refreshKeptInMemory = defineMutant({
  name: 'refresh-kept-in-memory',
  description: 'The rotated token pair is kept in memory and never written back, leaving a spent refresh token in auth.json.',
  breaks: { pr18811: 'SHARE.WRITE.002', 'codex-0.171': 'SHARE.WRITE.002' },
  source: 'codex-rs/login/src/auth/manager.rs',
  parts: { persistRefresh: 'memoryOnly' },
});
