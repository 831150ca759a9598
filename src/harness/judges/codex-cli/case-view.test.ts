import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codexCliCaseIds, codexCliCaseView, codexCliScenarios } from './case-view.js';

/**
 * The real-CLI cases moved from a TypeScript table (src/harness/codex-cli/codex-cli-cases.ts, last
 * in commit 47b5292) to data files (scenarios/blackbox/codex-cli/). The judges read the view derived
 * from each file; a frozen copy of the old table shows the view is the same case for case, so the
 * judges see what they saw before.
 */
const legacy = JSON.parse(readFileSync(new URL('../testdata/legacy-codex-cli-cases.json', import.meta.url), 'utf8')) as Array<{ id: string }>;
const LEGACY_ORDER = ['apiKey', 'chatgpt', 'chatgptFedramp', 'agentIdentity', 'agentIdentityForged', 'chatgptAuthTokens', 'refreshExpired', 'refreshWindow', 'refreshRevoked', 'refreshFailExpired', 'refreshFailReused', 'refreshFailRevoked', 'refreshFailInvalidGrant', 'customBase', 'agentStaging', 'appsCacheSwitch', 'hostTokensRefresh', 'personalAccessToken', 'appsCacheSwitchLive', 'customProvider', 'forcedWorkspaceOther', 'openaiBaseUrlEnv', 'openaiBaseUrlEnvAppServer', 'apiKeyAppsOn', 'appServerChatgpt', 'refreshFailReused400', 'appServerAuthPoll', 'tuiUsageCustomProvider', 'tuiUsageOpenai'];

describe('codex-cli cases as data', () => {
  it('keeps the case ids and their run order', () => {
    expect(codexCliCaseIds()).toEqual(LEGACY_ORDER);
  });

  it.each(legacy.map((c) => [c.id, c] as const))('%s: the view of its data file equals the old table entry', (id, old) => {
    const s = codexCliScenarios().find((x) => x.id === id);
    expect(s).toBeDefined();
    expect(codexCliCaseView(s!)).toEqual(old);
  });
});
