/**
 * Corpus B5 (codex#2733, #2833): auth.json holds an API key beside ChatGPT tokens and the last
 * login was the key (`auth_mode: "apikey"`), so the contract's mode is API key
 * (`AuthDotJson::resolved_mode`) and HDR.BEARER.001 expects the key. Releases before PR #3189
 * (rust-v0.35.0) know no `auth_mode`: their own source picks the tokens for a Free, Plus, Pro or
 * Team plan unless config.toml says `preferred_auth_method = "apikey"` (STORED_KEY_BEFORE_3189,
 * short enough that the matrix's 600-character evidence keeps the observed request). There,
 * without that setting, the case's failures are the source's design: findings
 * (release-findings.ts), evidence kept. With the setting the source intends the key, so a failure
 * stays a failure. Pure.
 */
import type { RuleResult } from '../../../rules/result.js';
import type { ReleaseFacts } from '../../codex-cli/release-facts.js';
import { findingOf } from '../release-findings.js';
import type { CodexCliCase } from './case-view.js';

/** What the source before PR #3189 does, pinned (the login/src/lib.rs `load_auth` of rust-v0.23.0 is core/src/auth.rs by rust-v0.34.0). */
export const STORED_KEY_BEFORE_3189 =
  'preferred_auth_method defaults to ChatGPT (`cfg.preferred_auth_method.unwrap_or(AuthMode::ChatGPT)`, codex-rs/core/src/config.rs@rust-v0.34.0) and then a Free/Plus/Pro/Team plan\'s tokens win over a stored OPENAI_API_KEY (`should_use_api_key`, codex-rs/login/src/token_data.rs@rust-v0.23.0); auth.json has no auth_mode before PR #3189 (rust-v0.35.0)';

export function storedKeyFindings(results: readonly RuleResult[], c: CodexCliCase, facts: ReleaseFacts): RuleResult[] {
  if (c.keyBesideTokens === undefined || c.keyBesideTokens.preferredAuthMethod || facts.storedApiKeyWins) return [...results];
  return results.map((r) => findingOf(r, facts.version, STORED_KEY_BEFORE_3189));
}
