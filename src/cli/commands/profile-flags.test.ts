import { describe, expect, it } from 'vitest';
import { RULES, rulesInProfile } from '../../rules/catalogue.js';
import { PROFILE_IDS, profileById } from '../../rules/profiles.js';
import { main } from '../main.js';
import { profileForRun } from './run.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: {}, cwd: process.cwd() }, out, err };
}

interface Listed {
  id: string;
  profiles: string[];
  sources: { path: string; ref: string }[];
  withdrawn?: { reason: string; replacedBy: string[] };
}

describe('--profile on the command line', () => {
  it('rules --profile X --json lists exactly the profile\'s rules, each with a source pinned to the profile\'s ref', async () => {
    for (const id of PROFILE_IDS) {
      const c = capture();
      expect(await main(['rules', '--profile', id, '--json'], c.io)).toBe(0);
      const listed = JSON.parse(c.out.join('\n')) as Listed[];
      expect(listed.map((r) => r.id)).toEqual(rulesInProfile(id).map((r) => r.id));
      for (const r of listed) {
        expect(r.profiles, r.id).toContain(id);
        expect(r.withdrawn).toBeUndefined();
        expect(r.sources.some((s) => s.ref === profileById(id).ref && s.path.startsWith('codex-rs/')), `${id} ${r.id}`).toBe(true);
      }
    }
  });

  it('rules --withdrawn lists the withdrawn ids with reason and replacements; text output says so', async () => {
    const json = capture();
    expect(await main(['rules', '--withdrawn', '--json'], json.io)).toBe(0);
    const listed = JSON.parse(json.out.join('\n')) as Listed[];
    expect(listed.map((r) => r.id).sort()).toEqual(RULES.filter((r) => r.withdrawn !== undefined).map((r) => r.id).sort());
    for (const r of listed) expect(r.withdrawn?.replacedBy.length, r.id).toBeGreaterThan(0);
    const text = capture();
    expect(await main(['rules', '--withdrawn'], text.io)).toBe(0);
    expect(text.out.join('\n')).toMatch(/^AGENT\.TASK\.001 .*\n\s+withdrawn: .*Replaced by AGENT\.TASK\.004, AGENT\.TASK\.005\./m);
  });

  it('rules --profile with an unknown name is a typed usage error (exit 2)', async () => {
    const c = capture();
    expect(await main(['rules', '--profile', 'codex-0.170'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/^error \[USAGE\]: no contract profile is named "codex-0\.170"/);
  });

  it('profileForRun: --profile wins; codex-cli:<version> picks the profile of its release; otherwise the newest', () => {
    expect(profileForRun('reference', undefined)).toBe('codex-0.171');
    expect(profileForRun('reference', 'pr18811')).toBe('pr18811');
    expect(profileForRun('codex-cli:0.125.0', undefined)).toBe('pr18811');
    expect(profileForRun('codex-cli:0.171.0', undefined)).toBe('codex-0.171');
    expect(profileForRun('codex-cli:0.125.0', 'codex-0.171')).toBe('codex-0.171');
    expect(() => profileForRun('codex-cli:0.150.0', undefined)).toThrow(/no contract profile judges codex 0\.150\.0/);
    expect(() => profileForRun('reference', 'nope')).toThrow(/no contract profile is named/);
  });

  it('run --rules names a rule of another profile or a withdrawn one: a typed usage error that says which profile or replacement', async () => {
    const other = capture();
    expect(await main(['run', '--rules', 'URL.AGENT.005', '--runs', '1'], other.io)).toBe(2);
    expect(other.err.join('\n')).toMatch(/selects no rule of profile codex-0\.171.*URL\.AGENT\.005 belongs to profile\(s\) pr18811; pass --profile pr18811/);
    const gone = capture();
    expect(await main(['run', '--profile', 'pr18811', '--rules', 'AGENT.TASK.001', '--runs', '1'], gone.io)).toBe(2);
    expect(gone.err.join('\n')).toMatch(/AGENT\.TASK\.001 was withdrawn .*use AGENT\.TASK\.004, AGENT\.TASK\.005/);
  });

  it('run --profile pr18811 judges a rule only that profile has, on the reference behaving as it (exit 0)', async () => {
    const c = capture();
    expect(await main(['run', '--profile', 'pr18811', '--rules', 'URL.AGENT.005', '--runs', '25', '--seed', '3', '--reporter', 'json'], c.io), c.err.join('\n')).toBe(0);
    const lines = c.out.join('\n').split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ type: 'header', profile: 'pr18811', rulesSelected: ['URL.AGENT.005'] });
    expect(lines.filter((l) => l['type'] === 'case' && l['ruleId'] === 'URL.AGENT.005' && l['verdict'] === 'pass').length).toBeGreaterThan(0);
  });
});
