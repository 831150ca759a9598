/**
 * Corpus B5 (codex#2733, #2833): auth.json holds an API key beside ChatGPT tokens and the last
 * login was the key (`auth_mode: "apikey"`), so the contract's mode is API key
 * (`AuthDotJson::resolved_mode`) and HDR.BEARER.001 expects the key. Releases before PR #3189
 * (rust-v0.35.0) know no `auth_mode`: their own source picks the tokens for a Free, Plus, Pro or
 * Team plan unless config.toml says `preferred_auth_method = "apikey"` (release-facts.ts
 * STORED_KEY_BEFORE_3189). There, without that setting, the case's failures are the source's
 * design: findings (release-findings.ts), evidence kept. With the setting the source intends the
 * key, so a failure stays a failure. Pure.
 */
import type { RuleResult } from '../../../rules/result.js';
import { STORED_KEY_BEFORE_3189, type ReleaseFacts } from '../../codex-cli/release-facts.js';
import { findingOf } from '../release-findings.js';
import type { CodexCliCase } from './case-view.js';

export function storedKeyFindings(results: readonly RuleResult[], c: CodexCliCase, facts: ReleaseFacts): RuleResult[] {
  if (c.keyBesideTokens === undefined || c.keyBesideTokens.preferredAuthMethod || facts.storedApiKeyWins) return [...results];
  const before = `with no preferred_auth_method in config.toml the default is ChatGPT, and a plus/pro/team/free plan's tokens win over a stored OPENAI_API_KEY (${STORED_KEY_BEFORE_3189.where}: ${STORED_KEY_BEFORE_3189.quote}); PR #3189 (rust-v0.35.0) made the stored key win`;
  return results.map((r) => findingOf(r, facts.version, before));
}
