import fc from 'fast-check';
import { accountSpec, defaultAgentIdentityVia } from '../../../scenarios/arbitraries/auth-spec.js';
import { chatgptBaseUrlFor, MOCK_BACKEND_API, PRODUCTION_BACKEND_API } from '../../../scenarios/arbitraries/base-url.js';
import { contractIdentity } from '../../rules/contract/identity.js';
import { contractFeatures } from '../../rules/contract/features.js';
import { APPS_MCP_CALLSITE_ID } from '../../callsites/invoke.js';
import { endpointKind } from '../../rules/endpoint-kind.js';
import { fail, pass, skip, type RuleResult } from '../../rules/result.js';
import { seedAuth, type AccountSpec, type SeededAuth } from '../auth-spec.js';
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
const RULES = ['CACHE.KEY.001', 'CACHE.KEY.002', 'CACHE.SWITCH.001', 'CACHE.SWITCH.002'] as const;

type IdentityLabel = `chatgpt#${number}` | `agent#${number}`;

interface Model {
  current: IdentityLabel | undefined;
  /** Identities this process has listed tools for since it started (memory cache candidates). */
  listedThisProcess: Set<IdentityLabel>;
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
  const seeded = await seedAuth(
    real.ctx.mock.backend,
    label.startsWith('agent') ? { mode: 'agentIdentity', account, via: defaultAgentIdentityVia(real.ctx.profile) } : { mode: 'chatgpt', account, lastRefreshDaysAgo: 0 },
  );
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
    const files = seeded.setup.files;
    real.setup = { caseId: real.caseId, home: real.home, files, env: { ...seeded.setup.env, ...real.env }, config: real.config };
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
    // nothing yet, only the disk cache can have held it.
    const fromDisk = !sentRequest && model.listedThisProcess.size === 0;
    const rule = fromDisk ? 'CACHE.SWITCH.002' : 'CACHE.SWITCH.001';
    const where = sentRequest ? 'over the wire' : fromDisk ? 'from the disk cache' : 'from the memory cache';
    if (outcome.kind !== 'sent' || got === undefined) {
      record(real, fail(rule, `Apps tools for ${label}`, `the tools of ${label}`, outcome.kind === 'sent' ? 'no tools list in the answer' : `${outcome.kind}: ${'reason' in outcome ? outcome.reason : 'message' in outcome ? outcome.message : ''}`, real.caseId));
      return;
    }
    const owner = [...real.identities].find(([, s]) => sameTools(real, s, got))?.[0];
    record(real, sameList(got, wanted)
      ? pass(rule, `tools of ${label} served ${where}`, real.caseId)
      : fail(rule, `Apps tools for ${label} served ${where}`, `the tools of ${label}`, owner !== undefined ? `the tools of ${owner}` : `${got.length} unknown tool(s)`, real.caseId));
    model.listedThisProcess.add(label);
  }
  toString(): string {
    return 'listAppsTools()';
  }
}

/** Ends the process and starts another on the same CODEX_HOME: memory gone, disk cache kept. */
class Restart implements fc.AsyncCommand<Model, Real> {
  check(model: Readonly<Model>): boolean {
    return model.current !== undefined;
  }
  async run(model: Model, real: Real): Promise<void> {
    await real.session?.stop();
    real.session = await real.ctx.implementation.start();
    await real.session.configure({ ...real.setup!, files: {} });
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

function cacheScenario(): fc.Arbitrary<CacheScenario> {
  const label = fc.oneof(
    fc.integer({ min: 0, max: 2 }).map((i): IdentityLabel => `chatgpt#${i}`),
    fc.integer({ min: 0, max: 1 }).map((i): IdentityLabel => `agent#${i}`),
  );
  return fc.record({
    accounts: fc.array(accountSpec(), { minLength: 3, maxLength: 3 }),
    commands: fc.commands(
      [label.map((l) => new UseIdentity(l)), fc.constant(new ListAppsTools()), fc.constant(new ListAppsTools()), fc.constant(new Restart())],
      { maxCommands: 12 },
    ),
  });
}

async function executeCacheScenario(ctx: SuiteContext, input: CacheScenario, caseId: string): Promise<RuleResult[]> {
  const missing = missingCapability(ctx, { mode: 'agentIdentity', callsites: [APPS_MCP_CALLSITE_ID] }) ?? missingCapability(ctx, { mode: 'chatgpt' });
  if (missing !== undefined) return RULES.map((id) => skip(id, missing, caseId));
  // codex-0.171 sends ChatGPT credentials to Codex Apps only on a trusted origin: list on production.
  const trustGate = contractFeatures(ctx.profile).appsTrust !== 'none';
  if (trustGate && !ctx.mock.productionHosts) {
    const why = 'Codex Apps gets ChatGPT credentials only on https://chatgpt.com in codex-0.171, and this mock transport does not serve the production hosts';
    return RULES.map((id) => skip(id, why, caseId));
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
    await fc.asyncModelRun(() => ({ model: { current: undefined, listedThisProcess: new Set<IdentityLabel>() }, real }), input.commands);
  } finally {
    await real.session?.stop();
    ctx.mock.endCase();
  }
  if (!ctx.implementation.capabilities.introspect.includes('appsCacheKey')) {
    real.results.push(skip('CACHE.KEY.001', 'implementation does not volunteer introspection of appsCacheKey', caseId), skip('CACHE.KEY.002', 'implementation does not volunteer introspection of appsCacheKey', caseId));
  }
  return real.results;
}

export const cacheSuite: Suite = {
  id: 'cache',
  title: 'Codex Apps tools cache: keyed by identity, never serving a previous identity (model-based)',
  rules: RULES,
  run(ctx) {
    const [a0, a1] = [{ plan: 'team' as const, fedramp: false }, { plan: 'plus' as const, fedramp: false }];
    const accounts = [a0, a1, a0];
    const switchThroughAgents: CacheScenario = {
      accounts,
      // Kept minimal (examples are not shrunk): two agent identities of different accounts in one process.
      commands: [new UseIdentity('agent#0'), new ListAppsTools(), new UseIdentity('agent#1'), new ListAppsTools()],
    };
    return runProperty(this, ctx, {
      arbitrary: cacheScenario(),
      examples: [switchThroughAgents],
      execute: (input, caseId) => executeCacheScenario(ctx, input, caseId),
      show: (input) => `accounts [${input.accounts.map((a) => `${a.plan}${a.fedramp ? ' fedramp' : ''}`).join(', ')}]: ${[...input.commands].map(String).join(', ')}`,
    });
  },
};
