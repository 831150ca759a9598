import fc from 'fast-check';
import { accountSpec } from '../../../scenarios/arbitraries/auth-spec.js';
import { chatgptBaseUrlFor, MOCK_BACKEND_API, PRODUCTION_BACKEND_API } from '../../../scenarios/arbitraries/base-url.js';
import { DISK_CACHE_FLAWS } from '../../rules/contract/apps-cache.js';
import { PROFILE_MODES } from '../../rules/contract/modes.js';
import { contractFeatures } from '../../rules/contract/features.js';
import { APPS_MCP_CALLSITE_ID } from '../../callsites/invoke.js';
import { unsupported, type RuleResult } from '../../rules/result.js';
import type { AccountSpec, AuthSpec } from '../auth-spec.js';
import { freshHome, missingCapability } from '../case-session.js';
import { runProperty } from '../property.js';
import type { Suite, SuiteContext } from '../suite.js';
import { ListAppsTools, Restart, SeedFlawedDiskCache, specOf, UseIdentity, type IdentityLabel, type Model, type Real } from './cache-commands.js';

/**
 * Model-based test of the Codex Apps tools cache (codex-rs/codex-mcp/src/codex_apps.rs): an
 * implementation logs into ChatGPT accounts and agent identities in turn, restarts with its disk
 * cache kept, and lists Apps tools. The model predicts every listing: the tools of the identity in
 * use, never a previous identity's, whether served from memory, from disk or over the wire.
 */
const RULES = ['CACHE.KEY.001', 'CACHE.KEY.002', 'CACHE.SWITCH.001', 'CACHE.SWITCH.002', 'CACHE.DISK.001'] as const;

export interface CacheScenario {
  readonly accounts: readonly AccountSpec[];
  readonly commands: Iterable<fc.AsyncCommand<Model, Real>>;
}

/** The ChatGPT user id of one user's several workspace accounts (CacheScenario `accounts`). */
export const SHARED_USER_ID = 'user-conformance-shared';

/** `replayPath`: fast-check's command replay log of a saved failure (see SuiteContext.replayPath). */
export function cacheScenario(replayPath?: string): fc.Arbitrary<CacheScenario> {
  const label = fc.oneof(
    fc.integer({ min: 0, max: 2 }).map((i): IdentityLabel => `chatgpt#${i}`),
    fc.integer({ min: 0, max: 1 }).map((i): IdentityLabel => `agent#${i}`),
  );
  // One user in three workspaces half the time: identities then differ only in the account id
  // (and the plan), so a key or cache that drops the account id is caught.
  const accounts = fc
    .tuple(fc.array(accountSpec(), { minLength: 3, maxLength: 3 }), fc.boolean())
    .map(([specs, sharedUser]) => (sharedUser ? specs.map((a) => ({ ...a, chatgptUserId: SHARED_USER_ID })) : specs));
  return fc.record({
    accounts,
    commands: fc.commands(
      [
        label.map((l) => new UseIdentity(l)),
        fc.constant(new ListAppsTools()),
        fc.constant(new ListAppsTools()),
        fc.constant(new Restart()),
        fc.constantFrom(...DISK_CACHE_FLAWS).map((f) => new SeedFlawedDiskCache(f)),
      ],
      { maxCommands: 12, ...(replayPath !== undefined ? { replayPath } : {}) },
    ),
  });
}

async function executeCacheScenario(ctx: SuiteContext, input: CacheScenario, caseId: string): Promise<RuleResult[]> {
  const missing = missingCapability(ctx, { mode: 'agentIdentity', callsites: [APPS_MCP_CALLSITE_ID] }) ?? missingCapability(ctx, { mode: 'chatgpt' });
  if (missing !== undefined) return RULES.map((id) => unsupported(id, missing, caseId));
  // codex-0.171 sends ChatGPT credentials to Codex Apps only on a trusted origin: list on production.
  const trustGate = contractFeatures(ctx.profile).appsTrust !== 'none';
  if (trustGate && !ctx.mock.productionHosts) {
    const why = 'Codex Apps gets ChatGPT credentials only on https://chatgpt.com in codex-0.171, and this mock transport does not serve the production hosts';
    return RULES.map((id) => unsupported(id, why, caseId));
  }
  const urls = ctx.mock.beginCase(caseId);
  const chatgptBaseUrl = chatgptBaseUrlFor(urls, trustGate ? PRODUCTION_BACKEND_API : MOCK_BACKEND_API);
  const real: Real = {
    ctx,
    caseId,
    home: await freshHome(ctx, caseId),
    config: { chatgptBaseUrl, openaiBaseUrl: urls.openai, appsEnabled: true },
    env: { CODEX_REFRESH_TOKEN_URL_OVERRIDE: `${urls.root}/oauth/token` },
    identities: new Map(),
    accounts: input.accounts,
    session: undefined,
    setup: undefined,
    keys: new Map(),
    results: [],
  };
  try {
    await fc.asyncModelRun(() => ({ model: { current: undefined, listedThisProcess: new Set<IdentityLabel>(), listedBeforeRestart: false, flawedOnDisk: new Set<IdentityLabel>() }, real }), input.commands);
  } finally {
    await real.session?.stop();
    ctx.mock.endCase();
  }
  if (!ctx.implementation.capabilities.introspect.includes('appsCacheKey')) {
    const why = 'implementation does not volunteer introspection of appsCacheKey';
    real.results.push(unsupported('CACHE.KEY.001', why, caseId), unsupported('CACHE.KEY.002', why, caseId));
  }
  return real.results;
}

/** The commands that ran (fast-check marks them), or every command of a hand-picked example. */
function showCommands(commands: CacheScenario['commands']): string {
  return String(commands).replace(/\s*\/\*replayPath=.*\*\/\s*$/, '').split(',').join(', ');
}

function showAccounts(accounts: readonly AccountSpec[]): string {
  const shared = accounts.length > 0 && accounts.every((a) => a.chatgptUserId !== undefined && a.chatgptUserId === accounts[0]!.chatgptUserId);
  return `accounts [${accounts.map((a) => `${a.plan}${a.fedramp ? ' fedramp' : ''}`).join(', ')}]${shared ? ' of one ChatGPT user' : ''}`;
}

/** fast-check prints a model run's replay log as `/*replayPath="…"*\/` after the commands. */
export function commandsReplayPathOf(commands: CacheScenario['commands']): string | undefined {
  return /\/\*replayPath="([^"]*)"\*\/\s*$/.exec(String(commands))?.[1];
}

function modeAvailable(ctx: SuiteContext, mode: AuthSpec['mode']): boolean {
  return PROFILE_MODES[ctx.profile].includes(mode) && ctx.implementation.capabilities.authModes.includes(mode);
}

export const cacheSuite: Suite = {
  id: 'cache',
  title: 'Codex Apps tools cache: keyed by identity, never serving a previous identity (model-based)',
  rules: RULES,
  run(ctx) {
    const [a0, a1] = [{ plan: 'team' as const, fedramp: false }, { plan: 'plus' as const, fedramp: false }];
    const accounts = [a0, a1, a0];
    // Hand-picked inputs, at least one per rule (examples are not shrunk, so they are minimal):
    const examples: CacheScenario[] = [
      // CACHE.SWITCH.001, CACHE.KEY.*: two agent identities of different accounts in one process.
      { accounts, commands: [new UseIdentity('agent#0'), new ListAppsTools(), new UseIdentity('agent#1'), new ListAppsTools()] },
      // CACHE.SWITCH.001 for ChatGPT logins: the same, switching auth.json.
      { accounts, commands: [new UseIdentity('chatgpt#0'), new ListAppsTools(), new UseIdentity('chatgpt#1'), new ListAppsTools()] },
      // CACHE.SWITCH.002: tools cached on disk by one identity, the next process runs as another.
      { accounts, commands: [new UseIdentity('agent#0'), new ListAppsTools(), new Restart(), new UseIdentity('agent#1'), new ListAppsTools()] },
      { accounts, commands: [new UseIdentity('chatgpt#0'), new ListAppsTools(), new Restart(), new UseIdentity('chatgpt#1'), new ListAppsTools()] },
      // CACHE.SWITCH.001, CACHE.KEY.002: one user in two workspaces of the same plan, identities differing only in the account id.
      { accounts: [a0, a0, a0].map((a) => ({ ...a, chatgptUserId: SHARED_USER_ID })), commands: [new UseIdentity('chatgpt#0'), new ListAppsTools(), new UseIdentity('chatgpt#1'), new ListAppsTools()] },
      // CACHE.SWITCH.002 for the same identity: the next process may serve its own tools from disk.
      { accounts, commands: [new UseIdentity('chatgpt#2'), new ListAppsTools(), new Restart(), new ListAppsTools()] },
      // CACHE.SWITCH.001 within one process: the second listing may come from memory.
      { accounts, commands: [new UseIdentity('agent#1'), new ListAppsTools(), new ListAppsTools()] },
      // CACHE.DISK.001: each flawed file found in the wild, at the identity's own path, is no cache
      // (a fresh process, then after a restart with the identity's good file replaced).
      ...DISK_CACHE_FLAWS.map((flaw): CacheScenario => ({ accounts, commands: [new UseIdentity('chatgpt#0'), new SeedFlawedDiskCache(flaw), new ListAppsTools()] })),
      { accounts, commands: [new UseIdentity('agent#0'), new ListAppsTools(), new Restart(), new SeedFlawedDiskCache('foreignSchema'), new ListAppsTools()] },
      // CACHE.KEY.001/002 for the other codex-backend modes (their getters answer the key): host
      // tokens then a ChatGPT login; a PAT across a restart; host headers with the account header,
      // then with an empty one (no account id: the key's account_id is null; only the key is judged,
      // the mock refuses an Apps request whose account header does not name the token's account).
      { accounts, commands: [new UseIdentity('host#0'), new ListAppsTools(), new UseIdentity('chatgpt#1'), new ListAppsTools()] },
      { accounts, commands: [new UseIdentity('pat#1'), new ListAppsTools(), new Restart(), new ListAppsTools()] },
      { accounts, commands: [new UseIdentity('headers#0'), new ListAppsTools(), new UseIdentity('headersEmpty#1')] },
    ].filter((e) => [...e.commands].every((c) => !(c instanceof UseIdentity) || modeAvailable(ctx, specOf(c.label, a0, ctx.profile).mode)));
    return runProperty(this, ctx, {
      arbitrary: (replay) => cacheScenario(replay.commandsReplayPath),
      examples,
      execute: (input, caseId) => executeCacheScenario(ctx, input, caseId),
      show: (input) => `${showAccounts(input.accounts)}: ${showCommands(input.commands)}`,
      key: (input) => `${showAccounts(input.accounts)}: ${[...input.commands].map(String).join(', ')}`,
      commandsReplayPath: (input) => commandsReplayPathOf(input.commands),
    });
  },
};
