import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInputError } from '../errors.js';
import { compareVersions, DEFAULT_PROFILE, isProfileId, PROFILE_IDS, PROFILES, profileById, profileForCodexVersion } from './profiles.js';

function inputError(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isInputError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a ConformanceInputError');
}

const version = fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300)).map(([a, b, c]) => `${a}.${b}.${c}`);

describe('contract profiles', () => {
  it('lists each profile once, pinned to a ref and dated, with a release range', () => {
    expect(PROFILES.map((p) => p.id)).toEqual([...PROFILE_IDS]);
    for (const p of PROFILES) {
      expect(p.ref).toMatch(/^(?:[0-9a-f]{8,40}|rust-v\d+\.\d+\.\d+)$/);
      expect(p.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.releases.from).toMatch(/^\d+\.\d+\.\d+$/);
      if (p.releases.until !== undefined) expect(compareVersions(p.releases.until, p.releases.from)).toBeGreaterThan(0);
      expect(profileById(p.id)).toBe(p);
      expect(isProfileId(p.id)).toBe(true);
    }
    expect(isProfileId('codex-0.170')).toBe(false);
  });

  it('release ranges do not overlap, and the default profile is the newest', () => {
    const sorted = [...PROFILES].sort((a, b) => compareVersions(a.releases.from, b.releases.from));
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      expect(prev.releases.until, `${prev.id} is open-ended but ${sorted[i]!.id} follows`).toBeDefined();
      expect(compareVersions(prev.releases.until!, sorted[i]!.releases.from)).toBeLessThanOrEqual(0);
    }
    expect(DEFAULT_PROFILE).toBe(sorted.at(-1)!.id);
    expect(DEFAULT_PROFILE).toBe('codex-0.171');
  });

  it('profileById refuses an unknown name with a typed USAGE error naming the profiles', () => {
    const e = inputError(() => profileById('codex-9.9'));
    expect(e.code).toBe('USAGE');
    expect(e.message).toContain('codex-9.9');
    for (const id of PROFILE_IDS) expect(e.message).toContain(id);
  });

  it('compareVersions orders numerically, not lexically, with pre-releases first', () => {
    expect(compareVersions('0.10.0', '0.9.0')).toBeGreaterThan(0);
    expect(compareVersions('0.171.0', '0.125.0')).toBeGreaterThan(0);
    expect(compareVersions('1.0.0', '0.999.999')).toBeGreaterThan(0);
    expect(compareVersions('0.128.0', '0.128.0')).toBe(0);
    expect(compareVersions('0.128.0-alpha.1', '0.128.0')).toBeLessThan(0);
    expect(compareVersions('0.128.0', '0.128.0-alpha.1')).toBeGreaterThan(0);
    expect(compareVersions('0.128.0-alpha.1', '0.128.0-alpha.2')).toBeLessThan(0);
    expect(compareVersions('0.128.0-beta', '0.128.0-alpha')).toBeGreaterThan(0);
    expect(compareVersions('0.127.9', '0.128.0-alpha.1')).toBeLessThan(0);
  });

  it('compareVersions is a total order on release versions (antisymmetric, transitive, reflexive)', () => {
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        expect(Math.sign(compareVersions(a, b))).toBe(-Math.sign(compareVersions(b, a)));
        expect(compareVersions(a, a)).toBe(0);
        if (compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0) expect(compareVersions(a, c)).toBeLessThanOrEqual(0);
        const numeric = (v: string) => v.split('.').map(Number);
        const [x, y] = [numeric(a), numeric(b)];
        const byHand = x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
        expect(Math.sign(compareVersions(a, b))).toBe(Math.sign(byHand));
      }),
      { numRuns: 300 },
    );
  });

  it('profileForCodexVersion picks the profile whose release range holds the version', () => {
    expect(profileForCodexVersion('0.125.0')).toBe('pr18811');
    expect(profileForCodexVersion('0.127.3')).toBe('pr18811');
    expect(profileForCodexVersion('0.171.0')).toBe('codex-0.171');
    expect(profileForCodexVersion('0.172.1')).toBe('codex-0.171');
    expect(profileForCodexVersion('1.0.0')).toBe('codex-0.171');
    fc.assert(
      fc.property(version, (v) => {
        let picked: string | undefined;
        try {
          picked = profileForCodexVersion(v);
        } catch (e) {
          expect(isInputError(e) && e.code).toBe('USAGE');
        }
        const holders = PROFILES.filter((p) => compareVersions(v, p.releases.from) >= 0 && (p.releases.until === undefined || compareVersions(v, p.releases.until) < 0)).map((p) => p.id);
        expect(picked === undefined ? [] : [picked]).toEqual(holders);
      }),
      { numRuns: 300 },
    );
  });

  it('profileForCodexVersion refuses versions no profile judges with typed errors that say why', () => {
    const early = inputError(() => profileForCodexVersion('0.124.0'));
    expect(early.code).toBe('USAGE');
    expect(early.message).toContain('predates every contract profile');
    expect(early.message).toContain('pr18811');
    const gap = inputError(() => profileForCodexVersion('0.150.0'));
    expect(gap.code).toBe('USAGE');
    expect(gap.message).toContain('no contract profile judges codex 0.150.0');
    expect(gap.message).toContain('--profile');
    // 0.128.0 is where PR #18811's profile ends (JWT identities, JWKS, the authapi host).
    expect(inputError(() => profileForCodexVersion('0.128.0')).message).toContain('no contract profile judges');
    // A pre-release of 0.171.0 comes before 0.171.0.
    expect(inputError(() => profileForCodexVersion('0.171.0-alpha.1')).code).toBe('USAGE');
    for (const bad of ['', 'latest', '0.171', 'v0.171.0', '0.171.0.1', '0.171.x', '../../etc']) {
      const e = inputError(() => profileForCodexVersion(bad));
      expect(e.code, bad).toBe('USAGE');
      expect(e.message, bad).toContain('is not a codex release version');
    }
  });
});
