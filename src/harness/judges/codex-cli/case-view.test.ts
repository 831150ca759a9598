import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MockBackend } from '../../../../mocks/state/mock-backend.js';
import { seedScenario } from '../../scenario/seed-scenario.js';
import { codexCliCaseIds, codexCliCaseView, codexCliScenario, codexCliScenarios, expectationFor, primaryCredential } from './case-view.js';

/**
 * The real-CLI cases moved from a TypeScript table (src/harness/codex-cli/codex-cli-cases.ts, last
 * in commit 47b5292) to data files (scenarios/blackbox/codex-cli/). The judges read the view derived
 * from each file; a frozen copy of the old table shows the view is the same case for case, so the
 * judges see what they saw before.
 */
const legacy = JSON.parse(readFileSync(new URL('../testdata/legacy-codex-cli-cases.json', import.meta.url), 'utf8')) as Array<{ id: string }>;
const LEGACY_ORDER = ['apiKey', 'chatgpt', 'chatgptFedramp', 'agentIdentity', 'agentIdentityForged', 'chatgptAuthTokens', 'refreshExpired', 'refreshWindow', 'refreshRevoked', 'refreshFailExpired', 'refreshFailReused', 'refreshFailRevoked', 'refreshFailInvalidGrant', 'customBase', 'agentStaging', 'appsCacheSwitch', 'hostTokensRefresh', 'personalAccessToken', 'appsCacheSwitchLive', 'customProvider', 'forcedWorkspaceOther', 'openaiBaseUrlEnv', 'openaiBaseUrlEnvAppServer', 'apiKeyAppsOn', 'appServerChatgpt', 'refreshFailReused400', 'appServerAuthPoll'];
/** Cases added after the move to data files, in file order. */
const KEY_BESIDE_TOKENS = ['apiKeyBesideTokens', 'apiKeyPreferredBesideTokens'];
const ADDED = [...KEY_BESIDE_TOKENS, 'tuiUsageCustomProvider', 'tuiUsageOpenai'];

describe('codex-cli cases as data', () => {
  it('keeps the case ids and their run order', () => {
    expect(codexCliCaseIds()).toEqual([...LEGACY_ORDER, ...ADDED]);
  });

  it.each(legacy.map((c) => [c.id, c] as const))('%s: the view of its data file equals the old table entry', (id, old) => {
    const s = codexCliScenarios().find((x) => x.id === id);
    expect(s).toBeDefined();
    expect(codexCliCaseView(s!)).toEqual(old);
  });

  it.each(KEY_BESIDE_TOKENS)('HDR.BEARER.001 %s: auth.json with an API key beside ChatGPT tokens and auth_mode "apikey" expects the key on every request', async (id) => {
    const s = codexCliScenario(id);
    const view = codexCliCaseView(s);
    expect(view).toMatchObject({ id, mode: 'apiKey', flow: 'exec' });
    expect(view.account).toBeUndefined();
    expect(view.tokens).toBeUndefined();
    expect(primaryCredential(s)?.id).toBe('key');
    const seeded = await seedScenario(await MockBackend.create({}), s);
    const key = seeded.credentials.get('key')!;
    const tokens = seeded.credentials.get('tokensA')!;
    const x = expectationFor(view, key, false);
    expect(x.mode).toBe('apiKey');
    expect(x.bearer).toBe(key.kind === 'apiKey' ? key.apiKey : undefined);
    expect(x.bearer).not.toBe(tokens.kind === 'chatgptTokens' ? tokens.accessToken : undefined);
    expect(x.accountId).toBeUndefined();
  });
});
