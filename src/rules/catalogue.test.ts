import { describe, expect, it } from 'vitest';
import { ALL_SUITES } from '../harness/suites/index.js';
import { RULE_ID_PATTERN, RULES, ruleById } from './catalogue.js';
import { RULE_AREAS } from './rule.js';

describe('rule catalogue', () => {
  it('ids are unique, well formed, and their area prefix matches the area', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) {
      expect(r.id).toMatch(RULE_ID_PATTERN);
      expect(r.id.startsWith(`${r.area}.`)).toBe(true);
      expect(RULE_AREAS).toContain(r.area);
      expect(ruleById(r.id)).toBe(r);
    }
  });

  it('every rule cites at least one source path in openai/codex and has a level and title', () => {
    for (const r of RULES) {
      expect(r.source, r.id).toMatch(/codex-rs\/[\w/.-]+\.rs/);
      expect(['MUST', 'SHOULD']).toContain(r.level);
      expect(r.title.length, r.id).toBeGreaterThan(20);
    }
  });

  it('every rule belongs to exactly one suite, so a replay command names one property', () => {
    const owners = new Map<string, string[]>();
    for (const suite of ALL_SUITES) for (const id of suite.rules) owners.set(id, [...(owners.get(id) ?? []), suite.id]);
    for (const r of RULES) expect(owners.get(r.id), r.id).toHaveLength(1);
    for (const id of owners.keys()) expect(ruleById(id), `suite rule ${id} is not in the catalogue`).toBeDefined();
  });

  it('every area has rules', () => {
    for (const area of RULE_AREAS) expect(RULES.some((r) => r.area === area), area).toBe(true);
  });
});
