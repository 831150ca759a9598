import { describe, expect, it } from 'vitest';
import { ruleById, ruleIdsInProfile } from '../../../rules/catalogue.js';
import { ECOSYSTEM_PROFILE, ECOSYSTEM_RULES, NOT_EXERCISABLE_REASONS, notExercisable } from './ecosystem-rules.js';

describe('ecosystem checks and the contract profile they are judged under', () => {
  it('every check reports under a rule of the profile', () => {
    const inProfile = new Set(ruleIdsInProfile(ECOSYSTEM_PROFILE));
    for (const id of Object.values(ECOSYSTEM_RULES)) expect(inProfile.has(id), id).toBe(true);
  });

  it('every other rule of the profile is listed with a reason, and the list names only rules of the profile', () => {
    const inProfile = ruleIdsInProfile(ECOSYSTEM_PROFILE);
    const judged = new Set<string>(Object.values(ECOSYSTEM_RULES));
    const listed = notExercisable();
    expect(listed.map((n) => n.rule).sort()).toEqual(inProfile.filter((id) => !judged.has(id)).sort());
    for (const n of listed) expect(n.reason).not.toBe('not exercised by any ecosystem scenario');
    for (const id of Object.keys(NOT_EXERCISABLE_REASONS)) {
      expect(ruleById(id), id).toBeDefined();
      expect(inProfile.includes(id), id).toBe(true);
    }
  });
});
