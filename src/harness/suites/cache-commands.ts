import fc from 'fast-check';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { defaultAgentIdentityVia } from '../../../scenarios/arbitraries/auth-spec.js';
import { contractAppsCacheFile, contractAppsCacheKeyJson, flawedCacheFile, type DiskCacheFlaw } from '../../rules/contract/apps-cache.js';
import { contractIdentity } from '../../rules/contract/identity.js';
import { APPS_MCP_CALLSITE_ID } from '../../callsites/invoke.js';
import { endpointKind } from '../../rules/endpoint-kind.js';
import { fail, pass, type RuleResult } from '../../rules/result.js';
import { seedAuth, type AccountSpec, type AuthSpec, type SeededAuth } from '../auth-spec.js';
import type { CaseSetup, Session } from '../implementation.js';
import type { SuiteContext } from '../suite.js';

/**
 * The model and the commands of the Codex Apps tools cache's model-based test (cache-suite.ts):
 * switch identity, list Apps tools, seed a flawed disk cache file, restart on the same CODEX_HOME.
 * Each command predicts what the listing must show and records the CACHE.* verdicts as it runs.
 */
/**
 * An identity of the model: a ChatGPT login, an agent identity, and (hand-picked examples only)
 * host-provided tokens, a personal access token, host headers with the account header and with an
 * empty one: every codex-backend mode whose getters answer the key.
 */
export type IdentityLabel = `${'chatgpt' | 'agent' | 'host' | 'pat' | 'headers' | 'headersEmpty'}#${number}`;

export function specOf(label: IdentityLabel, account: AccountSpec, profile: SuiteContext['profile']): AuthSpec {
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

export interface Model {
  current: IdentityLabel | undefined;
  /** Identities this process has listed tools for since it started (memory cache candidates). */
  listedThisProcess: Set<IdentityLabel>;
  /** Some earlier process on this CODEX_HOME listed tools (a disk cache may hold them). */
  listedBeforeRestart: boolean;
  /** Identities whose disk cache file the harness replaced with a flawed one (CACHE.DISK.001), not listed since. */
  flawedOnDisk: Set<IdentityLabel>;
}

export interface Real {
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
export function record(real: Real, result: RuleResult): void {
  real.results.push(result);
}

export async function identity(real: Real, label: IdentityLabel): Promise<SeededAuth> {
  const known = real.identities.get(label);
  if (known !== undefined) return known;
  const index = Number(label.split('#')[1]);
  const account = real.accounts[index % real.accounts.length]!;
  const seeded = await seedAuth(real.ctx.mock.backend, specOf(label, account, real.ctx.profile), { caseId: real.caseId });
  real.identities.set(label, seeded);
  return seeded;
}

/** Logs in as one identity: a ChatGPT login rewrites auth.json; an agent identity comes from the environment. */
export class UseIdentity implements fc.AsyncCommand<Model, Real> {
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
export async function checkKey(real: Real, label: IdentityLabel, seeded: SeededAuth): Promise<void> {
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
export class ListAppsTools implements fc.AsyncCommand<Model, Real> {
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
export class SeedFlawedDiskCache implements fc.AsyncCommand<Model, Real> {
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
export async function checkCacheFiles(real: Real): Promise<void> {
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

export function toolNamesOf(real: Real, s: SeededAuth): readonly string[] {
  return real.ctx.mock.backend.accounts.get(s.accountId ?? '')?.appsTools.map((t) => t.name) ?? [];
}

/** JSON files under `home` (auth.json aside) whose top-level object has a `tools` array: their paths (relative, `/`) and tool names. */
export async function toolsFiles(home: string): Promise<Array<{ path: string; names: string[] }>> {
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
export class Restart implements fc.AsyncCommand<Model, Real> {
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

export function toolNames(body: unknown): string[] | undefined {
  const tools = (body as { result?: { tools?: unknown } } | undefined)?.result?.tools;
  if (!Array.isArray(tools)) return undefined;
  return tools.map((t) => String((t as { name?: unknown }).name));
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function sameTools(real: Real, s: SeededAuth, names: readonly string[]): boolean {
  const tools = real.ctx.mock.backend.accounts.get(s.accountId ?? '')?.appsTools.map((t) => t.name);
  return tools !== undefined && sameList(tools, names);
}
