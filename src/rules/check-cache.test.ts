import { describe, expect, it } from 'vitest';
import { checkAppsCacheKey, checkAppsCacheKeysDistinct, checkToolsAfterSwitch, expectedAppsCacheKey } from './check-cache.js';
import { AUTHS, agentAuth, agentKeys } from './test-fixtures.js';

const keys = agentKeys();
const agentA = agentAuth(keys, { accountId: 'acct-a', chatgptUserId: 'user-a' });
const agentB = agentAuth(keys, { accountId: 'acct-b', chatgptUserId: 'user-b', agentRuntimeId: 'rt-2' });

describe('apps tools cache checks', () => {
  it('CACHE.KEY.001 passes the getters\' key for an agent identity and fails the empty token-data key', () => {
    expect(expectedAppsCacheKey(agentA)).toEqual({ accountId: 'acct-a', chatgptUserId: 'user-a', isWorkspaceAccount: true });
    expect(checkAppsCacheKey(agentA, { accountId: 'acct-a', chatgptUserId: 'user-a', isWorkspaceAccount: true }).verdict).toBe('pass');
    const old = checkAppsCacheKey(agentA, { accountId: null, chatgptUserId: null, isWorkspaceAccount: false });
    expect(old.verdict).toBe('fail');
    expect(old.message).toContain('CACHE.KEY.001');
    expect(checkAppsCacheKey(AUTHS.chatgpt, 'garbage').verdict).toBe('fail');
  });

  it('CACHE.KEY.002 passes distinct keys and fails two identities sharing one key or file', () => {
    const shared = { accountId: null, chatgptUserId: null, isWorkspaceAccount: false };
    expect(checkAppsCacheKeysDistinct([
      { label: 'a', auth: agentA, key: expectedAppsCacheKey(agentA), diskFile: 'a.json' },
      { label: 'b', auth: agentB, key: expectedAppsCacheKey(agentB), diskFile: 'b.json' },
    ])).toMatchObject([{ ruleId: 'CACHE.KEY.002', verdict: 'pass' }]);
    expect(checkAppsCacheKeysDistinct([{ label: 'a', auth: agentA, key: shared }, { label: 'b', auth: agentB, key: shared }])[0]?.verdict).toBe('fail');
    expect(checkAppsCacheKeysDistinct([
      { label: 'a', auth: agentA, key: 1, diskFile: 'same.json' },
      { label: 'b', auth: agentB, key: 2, diskFile: 'same.json' },
    ])[0]?.verdict).toBe('fail');
  });

  it('CACHE.SWITCH.001 passes the current identity\'s tools from memory and fails the previous identity\'s', () => {
    const toolsByIdentity = { a: ['gmail'], b: ['calendar', 'drive'] };
    expect(checkToolsAfterSwitch({ label: 'b', served: ['drive', 'calendar'], toolsByIdentity, layer: 'memory' }).verdict).toBe('pass');
    const r = checkToolsAfterSwitch({ label: 'b', served: ['gmail'], toolsByIdentity, layer: 'memory' });
    expect(r).toMatchObject({ ruleId: 'CACHE.SWITCH.001', verdict: 'fail' });
    expect(r.message).toContain('the tools of a');
  });

  it('CACHE.SWITCH.002 judges disk-served tools the same way', () => {
    const toolsByIdentity = { a: ['gmail'], b: ['drive'] };
    expect(checkToolsAfterSwitch({ label: 'a', served: ['gmail'], toolsByIdentity, layer: 'disk' })).toMatchObject({ ruleId: 'CACHE.SWITCH.002', verdict: 'pass' });
    expect(checkToolsAfterSwitch({ label: 'a', served: ['drive'], toolsByIdentity, layer: 'disk' })).toMatchObject({ ruleId: 'CACHE.SWITCH.002', verdict: 'fail' });
  });
});
