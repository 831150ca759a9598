import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { shellWords } from '../harness/shell-words.js';
import { tempDir } from '../testing/temp-dirs.js';
import { main } from './main.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKFLOW = join(ROOT, 'docs/ci/github-actions-conformance.yml');

describe('docs/ci/github-actions-conformance.yml works from another repository', () => {
  it('installs the harness from $HARNESS, needs nothing of this repository, and its run line validates against a user\'s own driver and expectation file', async () => {
    const yml = await readFile(WORKFLOW, 'utf8');
    const env = Object.fromEntries([...yml.matchAll(/^ {2}([A-Z]+): "([^"]*)"$/gm)].map((m) => [m[1]!, m[2]!]));
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['HARNESS', 'IMPL', 'EXPECT', 'SEED', 'RUNS']));
    const steps = yml.replace(/^\s*#.*$/gm, '');
    expect(steps, 'no step of this repository').not.toMatch(/npm ci|examples\/|python-driver\.json|npx codex-auth-conformance/);
    expect(steps).toMatch(/npm install --no-audit --no-fund --prefix "\$RUNNER_TEMP\/cac" "\$HARNESS"/);
    // The user's repository: their driver and their expectation file, nothing else.
    const repo = await tempDir('cac-user-repo-');
    await mkdir(join(repo, 'driver'));
    await mkdir(join(repo, 'expectations'));
    await copyFile(join(ROOT, 'examples/drivers/python/codex_auth_driver.py'), join(repo, 'driver/codex_auth_driver.py'));
    await copyFile(join(ROOT, 'expectations/python-driver.json'), join(repo, env['EXPECT']!));
    const run = /codex-auth-conformance run[^\n]*\n[^\n]*\n[^\n]*/.exec(steps)?.[0];
    expect(run).toBeDefined();
    const line = run!.replace(/\s*\n\s*/g, ' ').replace(/\$\{\{ matrix\.shard \}\}/g, '1').replace(/"\$([A-Z]+)"/g, (_m, name: string) => JSON.stringify(env[name] ?? ''));
    const err: string[] = [];
    const code = await main(shellWords(line).slice(1), { out: () => undefined, err: (l) => err.push(l), env: {}, cwd: repo, checkpoint: () => 'stop' });
    expect(code, err.join('\n')).toBe(0);
  });
});
