import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RULE_ID_PATTERN, RULES } from './catalogue.js';

const here = dirname(fileURLToPath(import.meta.url));
const ID_IN_TEXT = /\b(?:HDR|GATE|CACHE|URL|AGENT|REFRESH)\.[A-Z0-9]+\.\d{3}\b/g;

/** Titles of every `it(...)` / `test(...)` in src/rules/*.test.ts (literal titles only). */
function testTitles(): string[] {
  const titles: string[] = [];
  for (const file of readdirSync(here).filter((f) => f.endsWith('.test.ts'))) {
    const text = readFileSync(join(here, file), 'utf8');
    for (const m of text.matchAll(/\b(?:it|test)\(\s*(['"`])((?:\\.|(?!\1).)*)\1/g)) titles.push(m[2] ?? '');
  }
  return titles;
}

describe('rule coverage', () => {
  it('every live rule id appears literally in some test title of src/rules/*.test.ts', () => {
    const titles = testTitles().join('\n');
    const missing = RULES.filter((r) => r.withdrawn === undefined && !titles.includes(r.id)).map((r) => r.id);
    expect(missing).toEqual([]);
  });

  it('every withdrawn id appears in the title of a test that says it is withdrawn', () => {
    const titles = testTitles();
    const missing = RULES.filter((r) => r.withdrawn !== undefined && !titles.some((t) => t.includes(r.id) && /\bwithdrawn\b/.test(t))).map((r) => r.id);
    expect(missing).toEqual([]);
  });

  it('a withdrawn id is named only by tests about its withdrawal, never as a rule a test judges', () => {
    const withdrawn = new Set(RULES.filter((r) => r.withdrawn !== undefined).map((r) => r.id));
    const judging = testTitles().filter((t) => !/\bwithdrawn\b/.test(t) && (t.match(ID_IN_TEXT) ?? []).some((id) => withdrawn.has(id)));
    expect(judging).toEqual([]);
  });

  it('rule ids are unique and well formed', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(RULE_ID_PATTERN);
  });

  it('every id a test title names is a catalogued rule', () => {
    const named = new Set(testTitles().flatMap((t) => t.match(ID_IN_TEXT) ?? []));
    const known = new Set(RULES.map((r) => r.id));
    expect(named.size).toBeGreaterThan(50);
    expect([...named].filter((id) => !known.has(id))).toEqual([]);
  });
});
