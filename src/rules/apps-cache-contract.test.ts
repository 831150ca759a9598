import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contractAppsCacheFile, contractAppsCacheKeyJson, DISK_CACHE_FLAWS, flawedCacheFile, FOREIGN_SCHEMA_VERSION } from './contract/apps-cache.js';

const tools = [{ name: 'stale_tool', inputSchema: { type: 'object' } }];

/** What the source's reader takes for a cache: a JSON object with a u8 schema_version of the current version and a tools array. */
function readsAsCache(text: string, version: number): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const r = value as Record<string, unknown>;
  return r['schema_version'] === version && Array.isArray(r['tools']);
}

describe('Apps tools disk cache contract', () => {
  it('CACHE.KEY.001 the file of an identity is cache/codex_apps_tools/sha1(serde_json(key)).json, null for absent ids', () => {
    const identity = { accountId: 'acct-1', isWorkspace: true, isFedramp: false };
    const json = '{"account_id":"acct-1","chatgpt_user_id":null,"is_workspace_account":true}';
    expect(contractAppsCacheKeyJson(identity)).toBe(json);
    expect(contractAppsCacheFile(identity)).toBe(`cache/codex_apps_tools/${createHash('sha1').update(json).digest('hex')}.json`);
    expect(contractAppsCacheFile({ ...identity, chatgptUserId: 'user-1' })).not.toBe(contractAppsCacheFile(identity));
  });

  it('CACHE.DISK.001 every flawed file would offer its tools to a careless reader, and none reads as a cache of either schema version', () => {
    for (const flaw of DISK_CACHE_FLAWS) {
      const text = flawedCacheFile(flaw, tools);
      expect(readsAsCache(text, 1), flaw).toBe(false);
      expect(readsAsCache(text, 2), flaw).toBe(false);
      if (flaw !== 'null') expect(text, flaw).toContain('stale_tool');
    }
    expect(readsAsCache(JSON.stringify({ schema_version: FOREIGN_SCHEMA_VERSION, tools }), FOREIGN_SCHEMA_VERSION)).toBe(true);
  });
});
