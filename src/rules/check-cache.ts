/**
 * Pure checks of the Codex Apps tools cache over what an implementation volunteers (its cache
 * key, the tools it served and where from). Facts: codex-rs/codex-mcp/src/codex_apps.rs
 * (`codex_apps_tools_cache_key` from `get_account_id`, `get_chatgpt_user_id`,
 * `is_workspace_account`; the disk file is named by a hash of the serialized key).
 */
import type { CodexAuth } from '../auth/codex-auth.js';
import { contractIdentity } from './contract/identity.js';
import { fail, pass, type RuleResult } from './result.js';

export interface AppsCacheKey {
  readonly accountId: string | null;
  readonly chatgptUserId: string | null;
  readonly isWorkspaceAccount: boolean;
}

/**
 * The key the rules prescribe (CACHE.KEY.001): what the generic getters answer, taken from the
 * oracle's own identity table (src/rules/contract/identity.ts), never from the reference client.
 */
export function expectedAppsCacheKey(auth: CodexAuth): AppsCacheKey {
  const id = contractIdentity(auth);
  return { accountId: id.accountId ?? null, chatgptUserId: id.chatgptUserId ?? null, isWorkspaceAccount: id.isWorkspace };
}

function normalizeKey(key: unknown): AppsCacheKey | undefined {
  if (typeof key !== 'object' || key === null) return undefined;
  const k = key as Record<string, unknown>;
  const str = (v: unknown): string | null | undefined => (v === undefined || v === null ? null : typeof v === 'string' ? v : undefined);
  const a = str(k['accountId']);
  const u = str(k['chatgptUserId']);
  const w = k['isWorkspaceAccount'];
  if (a === undefined || u === undefined || typeof w !== 'boolean') return undefined;
  return { accountId: a, chatgptUserId: u, isWorkspaceAccount: w };
}

const show = (k: AppsCacheKey): string => JSON.stringify(k);

/** CACHE.KEY.001: the key an implementation reports equals the getters' key for its auth. */
export function checkAppsCacheKey(auth: CodexAuth, reported: unknown, caseId?: string): RuleResult {
  const want = expectedAppsCacheKey(auth);
  const got = normalizeKey(reported);
  if (got !== undefined && show(got) === show(want)) return pass('CACHE.KEY.001', `CACHE.KEY.001 ${auth.mode} key ${show(want)} comes from the generic getters`, caseId);
  return fail('CACHE.KEY.001', `apps tools cache key for ${auth.mode}`, show(want), got === undefined ? `an unusable key ${JSON.stringify(reported)}` : show(got), caseId);
}

export interface CacheKeySample {
  readonly label: string;
  readonly auth: CodexAuth;
  readonly key: unknown;
  /** The disk cache file the implementation uses for this identity, when it says. */
  readonly diskFile?: string;
}

/** CACHE.KEY.002: identities whose prescribed keys differ never share a reported key or disk file. */
export function checkAppsCacheKeysDistinct(samples: readonly CacheKeySample[], caseId?: string): RuleResult[] {
  const out: RuleResult[] = [];
  for (let i = 0; i < samples.length; i++) {
    for (let j = i + 1; j < samples.length; j++) {
      const a = samples[i]!;
      const b = samples[j]!;
      if (show(expectedAppsCacheKey(a.auth)) === show(expectedAppsCacheKey(b.auth))) continue;
      if (JSON.stringify(a.key) === JSON.stringify(b.key)) out.push(fail('CACHE.KEY.002', `cache keys of ${a.label} and ${b.label}`, 'distinct keys for distinct identities', `both ${JSON.stringify(a.key)}`, caseId));
      if (a.diskFile !== undefined && a.diskFile === b.diskFile) out.push(fail('CACHE.KEY.002', `disk cache files of ${a.label} and ${b.label}`, 'distinct files for distinct identities', `both ${a.diskFile}`, caseId));
    }
  }
  return out.length > 0 ? out : [pass('CACHE.KEY.002', `CACHE.KEY.002 ${samples.length} identities hold distinct keys`, caseId)];
}

export interface ToolsServed {
  /** The identity in use. */
  readonly label: string;
  /** Tool names the implementation answered with. */
  readonly served: readonly string[];
  /** Tool names each identity owns (must include `label`). */
  readonly toolsByIdentity: Readonly<Record<string, readonly string[]>>;
  /** Where the answer came from (no request: memory, or disk when nothing was listed this process). */
  readonly layer: 'network' | 'memory' | 'disk';
}

/** CACHE.SWITCH.001 (memory) / CACHE.SWITCH.002 (disk): only the current identity's tools are served. */
export function checkToolsAfterSwitch(t: ToolsServed, caseId?: string): RuleResult {
  const rule = t.layer === 'disk' ? 'CACHE.SWITCH.002' : 'CACHE.SWITCH.001';
  const want = [...(t.toolsByIdentity[t.label] ?? [])].sort();
  const got = [...t.served].sort();
  if (JSON.stringify(want) === JSON.stringify(got)) return pass(rule, `${rule} ${t.label} got its own tools (${t.layer})`, caseId);
  const owner = Object.entries(t.toolsByIdentity).find(([l, tools]) => l !== t.label && JSON.stringify([...tools].sort()) === JSON.stringify(got))?.[0];
  return fail(rule, `Apps tools for ${t.label} served from ${t.layer}`, `the tools of ${t.label} [${want.join(', ')}]`, owner !== undefined ? `the tools of ${owner}` : `[${got.join(', ')}]`, caseId);
}
