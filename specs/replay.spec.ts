import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { shellWords } from '../src/harness/select-implementation.js';

function capture() {
  const out: string[] = [];
  return { out, io: { out: (l: string) => out.push(l), err: () => undefined, env: {}, cwd: process.cwd() } };
}

describe('replay', () => {
  it('HDR.AGENT.002 a failure prints a replay command that reproduces the same shrunk counterexample', async () => {
    const first = capture();
    expect(await main(['run', '--impl', 'mutant:agent-fedramp-dropped', '--rules', 'HDR.AGENT', '--seed', '7', '--runs', '60', '--reporter', 'json'], first.io)).toBe(1);
    const failed = first.out.join('\n').split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['type'] === 'case' && l['verdict'] === 'fail');
    expect(failed).toBeDefined();
    const replay = (failed!['replay'] as { command: string }).command;
    expect(shellWords(replay).slice(0, 3), 'the replay pastes as the README writes commands').toEqual(['npx', 'codex-auth-conformance', 'run']);
    const argv = shellWords(replay).slice(2);
    expect(argv).toContain('--path');
    const second = capture();
    expect(await main([...argv, '--reporter', 'json'], second.io)).toBe(1);
    const again = second.out.join('\n').split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['type'] === 'case' && l['verdict'] === 'fail');
    expect(again?.['ruleId']).toBe(failed!['ruleId']);
    expect(again?.['counterexample']).toBe(failed!['counterexample']);
  });
});
