import { describe, expect, it } from 'vitest';
import { fail, pass } from '../../../rules/result.js';
import { caseApplies } from '../../codex-cli/codex-cli-scenarios.js';
import { releaseFacts } from '../../codex-cli/release-facts.js';
import { codexCliCase, codexCliScenario } from './case-view.js';
import { storedKeyFindings } from './stored-key-finding.js';

/** HDR.BEARER.001 on the corpus B5 cases: what the release's own source intends decides failure or finding. */
const sentTokens = fail('HDR.BEARER.001', 'authorization on #1 POST https://chatgpt.com/backend-api/codex/responses', 'Bearer with the apiKey token ("Bearer fp:aaaa")', '"Bearer fp:bbbb"', 'apiKeyBesideTokens');
const sentKey = pass('HDR.BEARER.001', 'HDR.BEARER.001 every credentialed request carried the apiKey Bearer token', 'apiKeyBesideTokens');

describe('stored API key beside ChatGPT tokens (corpus B5)', () => {
  it('HDR.BEARER.001 apiKeyBesideTokens on 0.25.0: the tokens winning is the source\'s default (no preferred_auth_method), a finding with the source quoted', () => {
    const [r] = storedKeyFindings([sentTokens], codexCliCase('apiKeyBesideTokens'), releaseFacts('0.25.0'));
    expect(r?.verdict).toBe('unsupported');
    expect(r?.message).toMatch(/^finding on 0\.25\.0, not a failure .*unwrap_or\(AuthMode::ChatGPT\).*Free\/Plus\/Pro\/Team.*Observed: HDR\.BEARER\.001 authorization on #1 POST https:\/\/chatgpt\.com/);
    expect(r!.message.slice(0, 600)).toContain('Observed: HDR.BEARER.001 authorization on #1 POST https://chatgpt.com/backend-api/codex/responses');
    expect(storedKeyFindings([sentKey], codexCliCase('apiKeyBesideTokens'), releaseFacts('0.25.0'))).toEqual([sentKey]);
  });

  it('HDR.BEARER.001 apiKeyBesideTokens from 0.36.0 (PR #3189) and apiKeyPreferredBesideTokens on any release: a failure stays a failure', () => {
    expect(storedKeyFindings([sentTokens], codexCliCase('apiKeyBesideTokens'), releaseFacts('0.36.0'))).toEqual([sentTokens]);
    expect(storedKeyFindings([sentTokens], codexCliCase('apiKeyPreferredBesideTokens'), releaseFacts('0.23.0'))).toEqual([sentTokens]);
    expect(storedKeyFindings([sentTokens], codexCliCase('apiKey'), releaseFacts('0.23.0'))).toEqual([sentTokens]);
    expect(releaseFacts('0.34.0').storedApiKeyWins).toBe(false);
    expect(releaseFacts('0.171.0').storedApiKeyWins).toBe(true);
  });

  it('HDR.BEARER.001 app-server cases are not run before `codex app-server` exists (0.43.0), with the reason', () => {
    expect(caseApplies(codexCliScenario('appServerChatgpt'), '0.39.0')).toMatch(/no `codex app-server` subcommand before 0\.43\.0/);
    expect(caseApplies(codexCliScenario('appServerChatgpt'), '0.80.0')).toBeUndefined();
    expect(caseApplies(codexCliScenario('apiKeyBesideTokens'), '0.23.0')).toBeUndefined();
  });
});
