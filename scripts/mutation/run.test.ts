import { describe, expect, it } from 'vitest';
import { AREAS_BY_FILE, parseMutationArgs, slugOf, withoutSurvivors } from './run.js';

const MUTATED = ['src/urls/path-style.ts', 'src/auth/agent-identity/identity-jwt.ts'];
const mutant = (id: string, status: 'Killed' | 'Survived' | 'NoCoverage') => ({ id, mutatorName: 'BooleanLiteral', status, location: { start: { line: 1, column: 1 } } });

describe('npm run mutation -- <file> (per-file, incremental)', () => {
  it('takes mutated files and --force; any other file or flag is a usage error with a Fix', () => {
    expect(parseMutationArgs(['./src/urls/path-style.ts', '--force'], MUTATED)).toEqual({ files: ['src/urls/path-style.ts'], force: true });
    expect(parseMutationArgs([], MUTATED)).toEqual({ files: [], force: false });
    expect(() => parseMutationArgs(['src/cli/main.ts'], MUTATED)).toThrow(/is not a mutated file[\s\S]*Fix: pass one of: src\/urls\/path-style\.ts/);
    expect(() => parseMutationArgs(['--all'], MUTATED)).toThrow(/unknown flag/);
  });

  it('every file of stryker.config.json has its areas, and slugs are file-safe', async () => {
    const { readFile } = await import('node:fs/promises');
    const config = JSON.parse(await readFile('stryker.config.json', 'utf8')) as { mutate: string[] };
    expect(config.mutate.filter((f) => AREAS_BY_FILE[f] === undefined)).toEqual([]);
    expect(slugOf('src/auth/agent-identity/identity-jwt.ts')).toBe('auth-agent-identity-identity-jwt');
  });

  it('drops survived and uncovered mutants from the incremental file, so the next run tests them again', () => {
    const report = { files: { 'src/urls/path-style.ts': { mutants: [mutant('1', 'Killed'), mutant('2', 'Survived'), mutant('3', 'NoCoverage')] } } };
    expect(withoutSurvivors(report).files['src/urls/path-style.ts']?.mutants.map((m) => m.id)).toEqual(['1']);
  });
});
