import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RULE_ID_PATTERN, RULES } from './catalogue.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Titles of every `it(...)` / `test(...)` in src/rules/*.test.ts. */
function testTitles(): string[] {
  const titles: string[] = [];
  for (const file of readdirSync(here).filter((f) => f.endsWith('.test.ts'))) {
    const text = readFileSync(join(here, file), 'utf8');
    for (const m of text.matchAll(/\b(?:it|test)\(\s*(['"`])((?:\\.|(?!\1).)*)\1/g)) titles.push(m[2] ?? '');
  }
  return titles;
}

describe('rule coverage', () => {
  it('every rule id in RULES appears literally in some test title of src/rules/*.test.ts', () => {
    const titles = testTitles().join('\n');
    const missing = RULES.map((r) => r.id).filter((id) => !titles.includes(id));
    expect(missing).toEqual([]);
  });

  it('rule ids are unique and well formed', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(RULE_ID_PATTERN);
  });

  it('every id a test title names is a catalogued rule', () => {
    const named = new Set(testTitles().flatMap((t) => t.match(/\b(?:HDR|GATE|CACHE|URL|AGENT|REFRESH)\.[A-Z0-9]+\.\d{3}\b/g) ?? []));
    const known = new Set(RULES.map((r) => r.id));
    expect([...named].filter((id) => !known.has(id))).toEqual([]);
  });
});
