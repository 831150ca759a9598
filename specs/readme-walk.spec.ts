import { describe, expect, it } from 'vitest';
import { INLINE, inlineCommands, LINES, README, SCRIPTS, shBlocks } from '../scripts/readme-walk/plan.js';

/**
 * The README and its walk stay in sync: every `sh` block line and every inline command of
 * README.md is in the walk's plan (scripts/readme-walk/plan.ts), walked or excluded with the reason,
 * and nothing in the plan is gone from the README. The walked commands themselves run in CI after
 * the tests (`.ci/run`: scripts/readme-walk/walk.ts), each checked against its documented exit code.
 */
describe('README walk', () => {
  it('every README command is walked or excluded with a reason (the plan matches the README)', () => {
    const blocks = shBlocks(README);
    const scripted = new Set(Object.keys(SCRIPTS));
    const lines = blocks.filter((b) => !scripted.has(b[0]!)).flat();
    expect(lines.filter((l) => !(l in LINES)), 'README sh lines missing from the walk').toEqual([]);
    expect(Object.keys(LINES).filter((l) => !lines.includes(l)), 'walk lines no longer in the README').toEqual([]);
    expect([...scripted].filter((first) => !blocks.some((b) => b[0] === first)), 'walk scripts no longer in the README').toEqual([]);
    const inline = inlineCommands(README);
    expect(inline.filter((c) => !(c in INLINE)), 'inline README commands missing from the walk').toEqual([]);
    expect(Object.keys(INLINE).filter((c) => !inline.includes(c)), 'walk inline commands no longer in the README').toEqual([]);
    for (const plan of [...Object.values(LINES), ...Object.values(INLINE)]) if (plan.kind === 'excluded') expect(plan.why.length).toBeGreaterThan(20);
    expect([...Object.values(LINES), ...Object.values(INLINE)].filter((p) => p.kind === 'walk').length, 'the walk runs something').toBeGreaterThan(5);
  });
});
