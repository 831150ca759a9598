import { describe, expect, it } from 'vitest';
import { KeyAllocator, pooledRsaKey } from './key-pool.js';
import { MockBackend } from './mock-backend.js';

describe('run key pool', () => {
  it('an allocator hands out distinct keys; another allocator gets the same material by index', async () => {
    const a = new KeyAllocator();
    const [a0, a1] = [await a.next(), await a.next()];
    expect(a0.publicJwk.n).not.toBe(a1.publicJwk.n);
    const b0 = await new KeyAllocator().next();
    expect(b0.publicJwk.n).toBe(a0.publicJwk.n);
    expect(await pooledRsaKey(1)).toBe(a1);
  });

  it('a backend signs with two distinct ring keys, and its key outside the JWKS is neither', async () => {
    const backend = await MockBackend.create({ seed: 3 });
    const token = backend.tokenKeys.current();
    const agent = backend.agentIdentityKeys.current();
    const outside = await backend.outsideKey();
    expect(new Set([token.publicJwk.n, agent.publicJwk.n, outside.publicJwk.n]).size).toBe(3);
    expect(backend.agentIdentityKeys.find(outside.kid)).toBeUndefined();
    const rotated = await backend.agentIdentityKeys.rotate();
    expect([token.publicJwk.n, agent.publicJwk.n, outside.publicJwk.n]).not.toContain(rotated.publicJwk.n);
    // Two backends share key material but not key ids, so neither accepts the other's tokens.
    const other = await MockBackend.create({ seed: 3 });
    expect(other.tokenKeys.current().publicJwk.n).toBe(token.publicJwk.n);
    expect(other.tokenKeys.find(token.kid)).toBeUndefined();
  });
});
