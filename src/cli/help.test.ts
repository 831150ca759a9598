import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands/index.js';
import { HELP } from './help.js';
import { main } from './main.js';

function capture() {
  const out: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: () => undefined, env: {}, cwd: process.cwd() }, out };
}

describe('--help and --version', () => {
  for (const command of COMMANDS) {
    it(`${command.name} --help lists every flag with its default, the exit codes and an example`, async () => {
      const c = capture();
      expect(await main([command.name, '--help'], c.io)).toBe(0);
      const text = c.out.join('\n');
      const flags = [...new Set([...command.usage.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]))];
      const explained = HELP[command.name]?.flags.map((f) => f.flag.split(/[ =[]/)[0]) ?? [];
      for (const flag of flags) expect(explained, `${command.name} ${flag} has no help entry`).toContain(flag);
      for (const flag of flags) expect(text).toMatch(new RegExp(`^  ${flag}\\b.*\\(default: .+\\)$`, 'm'));
      expect(text).toMatch(/^exit codes:\n {2}0 {2}/m);
      expect(text).toMatch(/^ {2}2 {2}/m);
      expect(text).toMatch(new RegExp(`^example:\\n {2}npx codex-auth-conformance ${command.name} `, 'm'));
    });
  }

  it('--version prints the package version', async () => {
    const c = capture();
    expect(await main(['--version'], c.io)).toBe(0);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(c.out).toEqual([`codex-auth-conformance ${pkg.version}`]);
  });
});
