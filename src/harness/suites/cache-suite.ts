import fc from 'fast-check';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { accountSpec, defaultAgentIdentityVia } from '../../../scenarios/arbitraries/auth-spec.js';
import { chatgptBaseUrlFor, MOCK_BACKEND_API, PRODUCTION_BACKEND_API } from '../../../scenarios/arbitraries/base-url.js';
import { contractAppsCacheFile, contractAppsCacheKeyJson, DISK_CACHE_FLAWS, flawedCacheFile, type DiskCacheFlaw } from '../../rules/contract/apps-cache.js';
import { contractIdentity } from '../../rules/contract/identity.js';
import { PROFILE_MODES } from '../../rules/contract/modes.js';
import { contractFeatures } from '../../rules/contract/features.js';
import { APPS_MCP_CALLSITE_ID } from '../../callsites/invoke.js';
import { endpointKind } from '../../rules/endpoint-kind.js';
import { fail, pass, unsupported, type RuleResult } from '../../rules/result.js';
import { seedAuth, type AccountSpec, type AuthSpec, type SeededAuth } from '../auth-spec.js';
import { freshHome, missingCapability } from '../case-session.js';
import type { CaseSetup, Session } from '../implementation.js';
import { runProperty } from '../property.js';
import type { Suite, SuiteContext } from '../suite.js';

/**
 * Model-based test of the Codex Apps tools cache (codex-rs/codex-mcp/src/codex_apps.rs): an
 * implementation logs into ChatGPT accounts and agent identities in turn, restarts with its disk
 * cache kept, and lists Apps tools. The model predicts every listing: the tools of the identity in
 * use, never a previous identity's, whether served from memory, from disk or over the wire.
 */
const RULES = ['CACHE.KEY.001', 'CACHE.KEY.002', 'CACHE.SWITCH.001', 'CACHE.SWITCH.002', 'CACHE.DISK.001'] as const;

/**
 * An identity of the model: a ChatGPT login, an agent identity, and (hand-picked examples only)
 * host-provided tokens, a personal access token, host headers with the account header and with an
 * empty one: every codex-backend mode whose getters answer the key.
 */
type IdentityLabel = `${'chatgpt' | 'agent' | 'host' | 'pat' | 'headers' | 'headersEmpty'}#${number}`;

function specOf(label: IdentityLabel, account: AccountSpec, profile: SuiteContext['profile']): AuthSpec {
  const kind = label.slice(0, label.indexOf('#'));
  switch (kind) {
    case 'agent':
      return { mode: 'agentIdentity', account, via: defaultAgentIdentityVia(profile) };
    case 'host':
      return { mode: 'chatgptAuthTokens', account };
    case 'pat':
      return { mode: 'personalAccessToken', account, via: 'CODEX_ACCESS_TOKEN' };
    case 'headers':
      return { mode: 'headers', account, accountHeader: true };
    case 'headersEmpty':
      return { mode: 'headers', account, accountHeader: 'empty' };
    default:
      return { mode: 'chatgpt', account, lastRefreshDaysAgo: 0 };
  }
}

interface Model {
  current: IdentityLabel | undefined;
  /** Identities this process has listed tools for since it started (memory cache candidates). */
  listedThisProcess: Set<IdentityLabel>;
  /** Some earlier process on this CODEX_HOME listed tools (a disk cache may hold them). */
  listedBeforeRestart: boolean;
  /** Identities whose disk cache file the harness replaced with a flawed one (CACHE.DISK.001), not listed since. */
  flawedOnDisk: Set<IdentityLabel>;
}

interface Real {
  readonly ctx: SuiteContext;
  readonly caseId: string;
  readonly home: string;
  readonly config: CaseSetup['config'];
  /** Env every login adds (the agent identity overrides a loopback base needs). */
  readonly env: Readonly<Record<string, string>>;
  readonly identities: Map<IdentityLabel, SeededAuth>;
  readonly accounts: readonly AccountSpec[];
  session: Session | undefined;
  setup: CaseSetup | undefined;
  readonly keys: Map<string, IdentityLabel>;
  readonly results: RuleResult[];
}

/** Records a verdict; the run goes on, so one broken rule does not hide another. */
function record(real: Real, result: RuleResult): void {
  real.results.push(result);
}

async function identity(real: Real, label: IdentityLabel): Promise<SeededAuth> {
  const known = real.identities.get(label);
  if (known !== undefined) return known;
  const index = Number(label.split('#')[1]);
  const account = real.accounts[index % real.accounts.length]!;
  const seeded = await seedAuth(real.ctx.mock.backend, specOf(label, account, real.ctx.profile), { caseId: real.caseId });
  real.identities.set(label, seeded);
  return seeded;
}

/** Logs in as one identity: a ChatGPT login rewrites auth.json; an agent identity comes from the environment. */
class UseIdentity implements fc.AsyncCommand<Model, Real> {
  constructor(readonly label: IdentityLabel) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const seeded = await identity(real, this.label);
    // A ChatGPT login (or a PR #18811 agent record) rewrites auth.json; a JWT comes from the environment.
    const { files, hostTokens, hostHeaders } = seeded.setup;
    real.setup = {
      caseId: real.caseId,
      home: real.home,
      files,
      env: { ...seeded.setup.env, ...real.env },
      config: real.config,
      ...(hostTokens !== undefined ? { hostTokens } : {}),
      ...(hostHeaders !== undefined ? { hostHeaders } : {}),
    };
    if (real.session === undefined) real.session = await real.ctx.implementation.start();
    await real.session.configure(real.setup);
    model.current = this.label;
    await checkKey(real, this.label, seeded);
  }
  toString(): string {
    return `use(${this.label})`;
  }
}

/** CACHE.KEY.001/002 through introspection, when the implementation volunteers it. */
async function checkKey(real: Real, label: IdentityLabel, seeded: SeededAuth): Promise<void> {
  const session = real.session;
  if (session?.introspect === undefined || !real.ctx.implementation.capabilities.introspect.includes('appsCacheKey')) return;
  const key = (await session.introspect('appsCacheKey')) as { accountId?: unknown; chatgptUserId?: unknown; isWorkspaceAccount?: unknown };
  const identity = contractIdentity(seeded.expected);
  const want = { accountId: identity.accountId ?? null, chatgptUserId: identity.chatgptUserId ?? null, isWorkspaceAccount: identity.isWorkspace };
  const got = { accountId: key.accountId ?? null, chatgptUserId: key.chatgptUserId ?? null, isWorkspaceAccount: key.isWorkspaceAccount };
  record(real, JSON.stringify(got) === JSON.stringify(want)
    ? pass('CACHE.KEY.001', `key of ${label} from the generic getters`, real.caseId)
    : fail('CACHE.KEY.001', `apps tools cache key of ${label}`, JSON.stringify(want), JSON.stringify(got), real.caseId));
  const serialized = JSON.stringify(got);
  const holder = real.keys.get(serialized);
  const sameAccount = holder !== undefined && contractIdentity((real.identities.get(holder) ?? seeded).expected).accountId === identity.accountId;
  if (holder !== undefined && holder !== label && !sameAccount) {
    record(real, fail('CACHE.KEY.002', `cache keys of ${holder} and ${label}`, 'distinct keys for distinct identities', `both ${serialized}`, real.caseId));
  } else {
    real.keys.set(serialized, label);
    record(real, pass('CACHE.KEY.002', `${label} has a key of its own`, real.caseId));
  }
}

/** Lists Apps tools; the model predicts the tools of the identity in use. */
class ListAppsTools implements fc.AsyncCommand<Model, Real> {
  check(model: Readonly<Model>): boolean {
    return model.current !== undefined;
  }
  async run(model: Model, real: Real): Promise<void> {
    const label = model.current!;
    const seeded = real.identities.get(label)!;
    const appsRequests = (): number => real.ctx.mock.journal(real.caseId).filter((e) => endpointKind(e.url) === 'appsMcp').length;
    const before = appsRequests();
    const outcome = await real.session!.invoke(APPS_MCP_CALLSITE_ID);
    const sentRequest = appsRequests() > before;
    const wanted = real.ctx.mock.backend.accounts.get(seeded.accountId!)?.appsTools.map((t) => t.name) ?? [];
    const got = toolNames(outcome.kind === 'sent' ? outcome.body : undefined);
    // Black box: with no Apps request, the answer came from a cache; if this process has listed
    // nothing yet, only the disk cache can have held it. The first listing of a process after an
    // earlier process listed tools is judged by the disk rule wherever it came from: an
    // implementation without a disk cache fetches, and the right tools pass.
    const firstAfterRestart = model.listedThisProcess.size === 0 && model.listedBeforeRestart;
    const fromDisk = !sentRequest && model.listedThisProcess.size === 0;
    // A flawed file of this identity on disk, and nothing of it in this process's memory: only the
    // file could answer without a request, and it must not (CACHE.DISK.001).
    const flawed = model.flawedOnDisk.has(label) && !model.listedThisProcess.has(label);
    const rule = flawed ? 'CACHE.DISK.001' : firstAfterRestart || fromDisk ? 'CACHE.SWITCH.002' : 'CACHE.SWITCH.001';
    const where = sentRequest ? 'over the wire' : fromDisk ? 'from the disk cache' : 'from the memory cache';
    model.flawedOnDisk.delete(label);
    if (outcome.kind !== 'sent' || got === undefined) {
      record(real, fail(rule, `Apps tools for ${label}`, `the tools of ${label}`, outcome.kind === 'sent' ? 'no tools list in the answer' : `${outcome.kind}: ${'reason' in outcome ? outcome.reason : 'message' in outcome ? outcome.message : ''}`, real.caseId));
      return;
    }
    const owner = [...real.identities].find(([, s]) => sameTools(real, s, got))?.[0];
    record(real, sameList(got, wanted)
      ? pass(rule, `tools of ${label} served ${where}`, real.caseId)
      : fail(rule, `Apps tools for ${label} served ${where}`, `the tools of ${label}`, owner !== undefined ? `the tools of ${owner}` : got.some((n) => n.startsWith(STALE_TOOL_PREFIX)) ? 'the tools of the flawed disk cache file' : `${got.length} unknown tool(s)`, real.caseId));
    model.listedThisProcess.add(label);
    // The files are read where the key is volunteered (CACHE.KEY.* need it; docs/driver-protocol.md).
    if (real.ctx.implementation.capabilities.introspect.includes('appsCacheKey')) await checkCacheFiles(real);
  }
  toString(): string {
    return 'listAppsTools()';
  }
}

/** Tool names of a flawed cache file: no account of the mock has them. */
const STALE_TOOL_PREFIX = 'stale_disk_tool_';

/**
 * Replaces the current identity's disk cache file (at the source's path for its key) with a
 * flawed one that would offer other tools if read as a cache: a file found in the wild (an older
 * schema, a truncated write, a hand edit). CACHE.DISK.001 judges the next listing of a process
 * that has nothing of this identity in memory.
 */
class SeedFlawedDiskCache implements fc.AsyncCommand<Model, Real> {
  constructor(readonly flaw: DiskCacheFlaw) {}
  check(model: Readonly<Model>): boolean {
    return model.current !== undefined;
  }
  async run(model: Model, real: Real): Promise<void> {
    const label = model.current!;
    const seeded = real.identities.get(label)!;
    const path = join(real.home, contractAppsCacheFile(contractIdentity(seeded.expected)));
    await mkdir(dirname(path), { recursive: true });
    const stale = [0, 1].map((i) => ({ name: `${STALE_TOOL_PREFIX}${this.flaw}_${i}`, description: 'not this identity\'s tool', inputSchema: { type: 'object' } }));
    await writeFile(path, flawedCacheFile(this.flaw, stale), 'utf8');
    model.flawedOnDisk.add(label);
  }
  toString(): string {
    return `seedFlawedDiskCache(${this.flaw})`;
  }
}

/**
 * CACHE.KEY.001 / CACHE.KEY.002 from the files left in CODEX_HOME (the whole home, not only
 * `cache/`): a JSON file whose top-level `tools` array holds an identity's tool names is that
 * identity's Apps tools cache and must sit at `cache/codex_apps_tools/{sha1(serde_json(key))}.json`
 * of that identity's key (codex-rs/connectors/src/connector_runtime/persistence.rs `cache_path_in`);
 * one file never holds the tools of two identities with different keys. An implementation without
 * a disk cache leaves no such file and is not judged here.
 */
async function checkCacheFiles(real: Real): Promise<void> {
  const listed = [...real.identities].map(([label, s]) => ({ label, identity: contractIdentity(s.expected), tools: toolNamesOf(real, s) })).filter((x) => x.tools.length > 0);
  for (const file of await toolsFiles(real.home)) {
    const holders = listed.filter((x) => x.tools.some((t) => file.names.includes(t)));
    if (holders.length === 0) continue;
    const keys = new Set(holders.map((h) => contractAppsCacheKeyJson(h.identity)));
    if (keys.size > 1) {
      record(real, fail('CACHE.KEY.002', `disk cache file ${file.path}`, 'one identity\'s tools per file', `the tools of ${holders.map((h) => h.label).join(' and ')}`, real.caseId));
      continue;
    }
    const want = contractAppsCacheFile(holders[0]!.identity);
    record(real, file.path === want
      ? pass('CACHE.KEY.001', `CACHE.KEY.001 ${holders[0]!.label}'s tools are cached at sha1(${contractAppsCacheKeyJson(holders[0]!.identity)}) = ${want}`, real.caseId)
      : fail('CACHE.KEY.001', `Apps tools cache file of ${holders[0]!.label}`, `${want} (sha1 of ${contractAppsCacheKeyJson(holders[0]!.identity)})`, file.path, real.caseId));
  }
}

function toolNamesOf(real: Real, s: SeededAuth): readonly string[] {
  return real.ctx.mock.backend.accounts.get(s.accountId ?? '')?.appsTools.map((t) => t.name) ?? [];
}

/** JSON files under `home` (auth.json aside) whose top-level object has a `tools` array: their paths (relative, `/`) and tool names. */
async function toolsFiles(home: string): Promise<Array<{ path: string; names: string[] }>> {
  const out: Array<{ path: string; names: string[] }> = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 4) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) await walk(path, depth + 1);
      else if (e.isFile() && e.name !== 'auth.json') {
        let value: unknown;
        try {
          value = JSON.parse(await readFile(path, 'utf8'));
        } catch {
          continue;
        }
        const tools = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)['tools'] : undefined;
        if (Array.isArray(tools)) out.push({ path: relative(home, path).split('\\').join('/'), names: tools.map((t) => String((t as { name?: unknown } | null)?.name)) });
      }
    }
  };
  await walk(home, 0);
  return out;
}

/** Ends the process and starts another on the same CODEX_HOME: memory gone, disk cache kept. */
class Restart implements fc.AsyncCommand<Model, Real> {
  check(model: Readonly<Model>): boolean {
    return model.current !== undefined;
  }
  async run(model: Model, real: Real): Promise<void> {
    await real.session?.stop();
    // A restart must be a new process (memory gone), never a reused one: freshProcess.
    real.session = await real.ctx.implementation.start({ freshProcess: true });
    await real.session.configure({ ...real.setup!, files: {} });
    if (model.listedThisProcess.size > 0) model.listedBeforeRestart = true;
    model.listedThisProcess = new Set();
  }
  toString(): string {
    return 'restart()';
  }
}

function toolNames(body: unknown): string[] | undefined {
  const tools = (body as { result?: { tools?: unknown } } | undefined)?.result?.tools;
  if (!Array.isArray(tools)) return undefined;
  return tools.map((t) => String((t as { name?: unknown }).name));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameTools(real: Real, s: SeededAuth, names: readonly string[]): boolean {
  const tools = real.ctx.mock.backend.accounts.get(s.accountId ?? '')?.appsTools.map((t) => t.name);
  return tools !== undefined && sameList(tools, names);
}

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
