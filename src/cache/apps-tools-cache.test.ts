import { tempDir } from '../testing/temp-dirs.js';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentIdentityAuth, apiKeyAuth, chatgptAuth } from '../callsites/test-auth.js';
import {
  APPS_TOOLS_CACHE_DIR,
  AppsToolsCache,
  appsToolsCacheFileName,
  appsToolsCacheKey,
  appsToolsCachePath,
} from './apps-tools-cache.js';

let home: string;
beforeEach(async () => {
  home = await tempDir('apps-cache-');
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('appsToolsCacheKey', () => {
  it('CACHE.KEY derives agent identity keys from the generic getters', () => {
    expect(appsToolsCacheKey(agentIdentityAuth({ accountId: 'a', userId: 'u', plan: 'team' }))).toEqual({
      accountId: 'a',
      chatgptUserId: 'u',
      isWorkspaceAccount: true,
    });
  });

  it('CACHE.KEY different agent identities never share a key or a file (property)', () => {
    const id = fc.stringMatching(/^[a-z0-9_]{1,12}$/);
    fc.assert(
      fc.property(id, id, id, id, (a1, u1, a2, u2) => {
        fc.pre(a1 !== a2 || u1 !== u2);
        const k1 = appsToolsCacheKey(agentIdentityAuth({ accountId: a1, userId: u1 }));
        const k2 = appsToolsCacheKey(agentIdentityAuth({ accountId: a2, userId: u2 }));
        expect(appsToolsCacheFileName(k1)).not.toBe(appsToolsCacheFileName(k2));
      }),
    );
  });

  it('CACHE.KEY different ChatGPT accounts never share a key', () => {
    const a = appsToolsCacheFileName(appsToolsCacheKey(chatgptAuth({ accountId: 'x' })));
    const b = appsToolsCacheFileName(appsToolsCacheKey(chatgptAuth({ accountId: 'y' })));
    expect(a).not.toBe(b);
  });

  it('names the file sha1(serde_json(key)).json under cache/codex_apps_tools', () => {
    const key = appsToolsCacheKey(apiKeyAuth());
    const json = '{"account_id":null,"chatgpt_user_id":null,"is_workspace_account":false}';
    expect(appsToolsCacheFileName(key)).toBe(`${createHash('sha1').update(json).digest('hex')}.json`);
    expect(appsToolsCachePath('/h', key)).toBe(join('/h', 'cache', 'codex_apps_tools', appsToolsCacheFileName(key)));
  });
});

describe('AppsToolsCache', () => {
  it('round-trips through disk into a fresh process', async () => {
    const key = appsToolsCacheKey(chatgptAuth());
    const cache = new AppsToolsCache(home);
    await cache.put(key, [{ name: 'search' }]);
    const onDisk = JSON.parse(await readFile(appsToolsCachePath(home, key), 'utf8')) as unknown;
    expect(onDisk).toEqual({ schema_version: 1, tools: [{ name: 'search' }] });
    expect(await cache.get(key)).toEqual({ kind: 'hit', tools: [{ name: 'search' }], from: 'memory' });
    const fresh = new AppsToolsCache(home);
    expect(await fresh.get(key)).toEqual({ kind: 'hit', tools: [{ name: 'search' }], from: 'disk' });
  });

  it('another account misses', async () => {
    const cache = new AppsToolsCache(home);
    await cache.put(appsToolsCacheKey(agentIdentityAuth({ accountId: 'a' })), [1]);
    expect(await cache.get(appsToolsCacheKey(agentIdentityAuth({ accountId: 'b' })))).toEqual({ kind: 'miss', reason: 'absent' });
  });

  it('treats a corrupted or foreign-schema file as a miss, never a crash (property)', async () => {
    const key = appsToolsCacheKey(chatgptAuth());
    await mkdir(join(home, APPS_TOOLS_CACHE_DIR), { recursive: true });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json(), fc.constant('{"schema_version":2,"tools":[]}')), async (text) => {
        fc.pre(!/^\s*\{\s*"schema_version"\s*:\s*1\s*,\s*"tools"\s*:\s*\[/u.test(text));
        await writeFile(appsToolsCachePath(home, key), text, 'utf8');
        const lookup = await new AppsToolsCache(home).get(key);
        expect(lookup.kind).toBe('miss');
      }),
      { numRuns: 60 },
    );
  });
});
