import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../redact/fingerprint.js';
import { TokenLineage } from './token-lineage.js';

const set = (n: string, accountId = 'acct_a') => ({ idToken: `id-${n}-xxxxxxxx`, accessToken: `at-${n}-xxxxxxxx`, refreshToken: `rt-${n}-xxxxxxxx`, accountId });

describe('TokenLineage', () => {
  it('labels a login generation 0 and each redemption the next generation of the presented family', () => {
    const l = new TokenLineage();
    expect(l.login('A', set('a0'))).toBe('A0');
    expect(l.minted('rt-a0-xxxxxxxx', set('a1'))).toBe('A1');
    expect(l.login('B', set('b0', 'acct_b'))).toBe('B0');
    expect(l.minted('rt-a1-xxxxxxxx', set('a2'))).toBe('A2');
    expect(l.labelOf('at-a2-xxxxxxxx')).toBe('A2');
    expect(l.labelOfFingerprint(fingerprint('rt-b0-xxxxxxxx'))).toBe('B0');
    expect(l.labelOf('never-issued')).toBe('unknown');
    expect(l.labels()).toEqual(["A0", "A1", "B0", "A2"]);
  });

  it('records redemptions in arrival order with labels and fingerprints only', () => {
    const l = new TokenLineage();
    l.login('A', set('a0'));
    l.record({ actor: 'exec1', presented: 'rt-a0-xxxxxxxx', status: 200, minted: 'A1' });
    l.record({ actor: 'exec2', presented: 'rt-a0-xxxxxxxx', status: 401, code: 'refresh_token_reused' });
    const r = l.redemptions();
    expect(r.map((x) => [x.n, x.actor, x.presented, x.status, x.code ?? x.minted])).toEqual([
      [1, 'exec1', 'A0', 200, 'A1'],
      [2, 'exec2', 'A0', 401, 'refresh_token_reused'],
    ]);
    expect(JSON.stringify(r)).not.toContain('rt-a0');
    expect(r[0]!.presentedFp).toBe(fingerprint('rt-a0-xxxxxxxx'));
  });

  it('refuses a second login of one family and a mint from an unknown token', () => {
    const l = new TokenLineage();
    l.login('A', set('a0'));
    expect(() => l.login('A', set('a9'))).toThrow(TypeError);
    expect(() => l.minted('rt-zz', set('z'))).toThrow(TypeError);
  });
});

describe('TokenLineage arrivals', () => {
  it('orders redemptions by arrival, not by when their answers finished', () => {
    const l = new TokenLineage();
    l.login('A', set('a0'));
    const first = l.arrive();
    const second = l.arrive();
    l.record({ actor: 'late', presented: 'rt-a0-xxxxxxxx', status: 401, code: 'refresh_token_reused', arrival: second });
    l.record({ actor: 'early', presented: 'rt-a0-xxxxxxxx', status: 200, minted: 'A1', arrival: first });
    expect(l.redemptions().map((r) => r.actor)).toEqual(['early', 'late']);
    expect(l.redemptions().every((r) => r.answeredAtMs !== undefined && r.answeredAtMs >= r.atMs)).toBe(true);
  });
});
