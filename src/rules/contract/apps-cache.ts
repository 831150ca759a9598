/**
 * The Codex Apps tools disk cache as the source lays it out, written from the source (never from
 * the reference client):
 * - path `{codex_home}/cache/codex_apps_tools/{sha1_hex(serde_json(key))}.json`, the key
 *   `{account_id, chatgpt_user_id, is_workspace_account}` serialized in field order with `null`
 *   for an absent id (codex-rs/connectors/src/connector_runtime/persistence.rs `cache_path_in`,
 *   rust-v0.171.0; `codex_apps_tools_cache_key` in codex-rs/codex-mcp/src/mcp_connection_manager.rs
 *   at 5882f3f9);
 * - the file `{schema_version, tools}`; a file that does not parse as that struct (not JSON, `null`,
 *   not an object, no `tools` array) or carries another `schema_version` is read as no cache at all
 *   (`load_cached_connector_runtime_for_identity`: `serde_json::from_slice(..).ok()?` and
 *   `(cache.schema_version == T::TOOLS_CACHE_SCHEMA_VERSION).then_some(..)`).
 */
import { createHash } from 'node:crypto';
import type { ContractIdentity } from './identity.js';

export const CONTRACT_APPS_TOOLS_CACHE_DIR = 'cache/codex_apps_tools';

/** A schema version no profile writes (u8 in the source): a file carrying it is a miss. */
export const FOREIGN_SCHEMA_VERSION = 99;

/** serde_json of the key, field order kept, `null` for an absent id. */
export function contractAppsCacheKeyJson(identity: ContractIdentity): string {
  return JSON.stringify({ account_id: identity.accountId ?? null, chatgpt_user_id: identity.chatgptUserId ?? null, is_workspace_account: identity.isWorkspace });
}

/** The cache file of an identity, relative to CODEX_HOME. */
export function contractAppsCacheFile(identity: ContractIdentity): string {
  return `${CONTRACT_APPS_TOOLS_CACHE_DIR}/${createHash('sha1').update(contractAppsCacheKeyJson(identity), 'utf8').digest('hex')}.json`;
}

/** Ways a disk cache file found in the wild is not a cache the source reads. */
export const DISK_CACHE_FLAWS = ['notJson', 'null', 'notObject', 'foreignSchema', 'noSchema', 'toolsNotArray', 'noTools'] as const;
export type DiskCacheFlaw = (typeof DISK_CACHE_FLAWS)[number];

/** The text of a flawed cache file that would offer `tools` if a reader took it for a cache. */
export function flawedCacheFile(flaw: DiskCacheFlaw, tools: readonly unknown[]): string {
  switch (flaw) {
    case 'notJson':
      return `{"schema_version": 1, "tools": ${JSON.stringify(tools)}`;
    case 'null':
      return 'null';
    case 'notObject':
      return JSON.stringify([{ schema_version: 1, tools }]);
    case 'foreignSchema':
      return JSON.stringify({ schema_version: FOREIGN_SCHEMA_VERSION, tools });
    case 'noSchema':
      return JSON.stringify({ tools });
    case 'toolsNotArray':
      return JSON.stringify({ schema_version: 1, tools: Object.fromEntries(tools.map((t, i) => [String(i), t])) });
    case 'noTools':
      return JSON.stringify({ schema_version: 1, tool: tools });
  }
}
