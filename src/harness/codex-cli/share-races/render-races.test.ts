import { describe, expect, it } from 'vitest';
import type { PhaseObservation, RaceObservation } from './race-observation.js';
import { describeModelRequests, renderRaceTables, runPattern } from './render-races.js';

const phase = (over: Partial<PhaseObservation> = {}): PhaseObservation => ({
  phase: 'race',
  setup: 'two exec',
  redemptions: [
    { n: 1, atMs: 5, actor: 'exec2', presented: 'A0', presentedFp: 'fp:000000000001', status: 200, minted: 'A1' },
    { n: 2, atMs: 6, actor: 'exec1', presented: 'A0', presentedFp: 'fp:000000000001', status: 401, code: 'refresh_token_reused' },
  ],
  modelRequests: [
    { actor: 'exec1', atMs: 7, bearer: 'A0', account: 'A', status: 401 },
    { actor: 'exec1', atMs: 8, bearer: 'A0', account: 'A', status: 401 },
    { actor: 'exec1', atMs: 9, bearer: 'A1', account: 'B', status: 200 },
  ],
  modelCalls: [],
  outcomes: [
    { actor: 'exec1', completed: false, exitCode: 1, reusedError: true, otherAccountError: false, durationMs: 10 },
    { actor: 'exec2', completed: true, exitCode: 0, reusedError: false, otherAccountError: false, durationMs: 10 },
  ],
  authJson: { exists: true, refresh: 'A1', access: 'A1', replaced: true, written: ['A1'], sidecars: ['auth.json.lock'], tornReads: 0 },
  ...over,
});

const obs = (run: number, p: PhaseObservation): RaceObservation => ({ scenario: 'execRace', release: '0.171.0', run, durationMs: 1, phases: [p], problems: [] });

describe('renderRaceTables', () => {
  it('folds repeated model requests and names the answer of each redemption', () => {
    expect(describeModelRequests(phase().modelRequests)).toBe('exec1 A0 401 ×2, exec1 A1 (account B) 200');
    const md = renderRaceTables([obs(1, phase())]);
    expect(md).toContain('exec2 A0 200 → A1; exec1 A0 401 reused');
    expect(md).toContain('exec1 failed exit 1: "already used"');
    expect(md).toContain('A1, replaced (new inode), auth.json.lock');
  });

  it('names a mixed auth.json (one family\'s tokens under another family\'s account_id)', () => {
    const mixed = phase({ authJson: { exists: true, refresh: 'A2', access: 'A2', account: 'B', replaced: false, written: ['B0', 'A2'], sidecars: [], tornReads: 0 } });
    expect(renderRaceTables([obs(1, mixed)])).toContain('A2 with account_id of B, same inode');
  });

  it('counts runs that showed the same pattern ("k of n runs") and keeps different ones apart', () => {
    const calm = phase({ redemptions: [phase().redemptions[0]!] });
    const md = renderRaceTables([obs(1, phase()), obs(2, phase()), obs(3, calm)]);
    expect(md).toMatch(/token requests 1× 200, 1× 401 reused;.*\| 2 of 3 \|/);
    expect(md).toMatch(/token requests 1× 200;.*\| 1 of 3 \|/);
    expect(runPattern({ ...obs(4, phase()), problems: ['no second 401'] })).toBe('not counted: no second 401');
  });

  it('marks a redemption that arrived before the previous one of the same generation was answered', () => {
    const [a, b] = phase().redemptions;
    const overlapping = phase({ redemptions: [{ ...a!, atMs: 5, answeredAtMs: 20 }, { ...b!, atMs: 12, answeredAtMs: 25 }] });
    expect(renderRaceTables([obs(1, overlapping)])).toContain('exec1 A0 401 reused (sent while the previous one was in flight)');
    const apart = phase({ redemptions: [{ ...a!, atMs: 5, answeredAtMs: 8 }, { ...b!, atMs: 12, answeredAtMs: 25 }] });
    expect(renderRaceTables([obs(1, apart)])).not.toContain('in flight');
  });

  it('never prints a fingerprint or token, only generation labels', () => {
    expect(renderRaceTables([obs(1, phase())])).not.toMatch(/fp:|rt_mock_/);
  });
});
