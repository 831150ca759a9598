import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConformanceInputError } from '../../errors.js';
import { cacheRoot, CACHE_ENV } from './cache-dir.js';
import { ECOSYSTEM_CLIENTS, ecosystemClient, STAND_IN_CLIENTS } from './clients.js';
import { driverCommand, ensureInstalledClient, findInstalledClient, installDirOf } from './ecosystem-install.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cac-eco-cache-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('third-party clients are installed on demand into the cache, pinned', () => {
  it('every client of the table is pinned to an exact version and has a driver', () => {
    expect(ECOSYSTEM_CLIENTS.map((c) => c.id)).toEqual(['codex-as-api', 'openai-oauth', 'pi-ai', 'opencode-openai-codex-auth']);
    for (const c of ECOSYSTEM_CLIENTS) {
      expect(c.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(c.driver).toMatch(/^examples\/drivers\/ecosystem\/.+\.mjs$/);
    }
    expect(ecosystemClient('stand-in')?.local).toBe(true);
    expect(STAND_IN_CLIENTS.every((c) => !ECOSYSTEM_CLIENTS.includes(c))).toBe(true);
  });

  it('the cache is <repo>/.cache unless CODEX_AUTH_CONFORMANCE_CACHE names an absolute directory', () => {
    expect(cacheRoot({})).toMatch(/\/\.cache$/);
    expect(cacheRoot({ [CACHE_ENV]: '/var/cache/cac' })).toBe('/var/cache/cac');
    expect(() => cacheRoot({ [CACHE_ENV]: 'relative/dir' })).toThrow(ConformanceInputError);
    expect(installDirOf(ECOSYSTEM_CLIENTS[0]!, '/c')).toBe('/c/ecosystem/codex-as-api@0.7.0');
  });

  it('finds an installed client only at its pinned version (no download)', async () => {
    const client = ecosystemClient('pi-ai')!;
    expect(await findInstalledClient(client, root)).toBeUndefined();
    const pkg = join(installDirOf(client, root), 'node_modules', '@mariozechner', 'pi-ai');
    await mkdir(pkg, { recursive: true });
    await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: '@mariozechner/pi-ai', version: '0.0.1' }));
    expect(await findInstalledClient(client, root)).toBeUndefined();
    await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: '@mariozechner/pi-ai', version: client.version }));
    const found = await findInstalledClient(client, root);
    expect(found?.packageDir).toBe(pkg);
    // Already there: ensure does not call npm.
    expect((await ensureInstalledClient(client, root)).installDir).toBe(installDirOf(client, root));
    expect(driverCommand(found!, '/repo', 'node')).toEqual(['node', '/repo/examples/drivers/ecosystem/pi-ai.mjs', '--install-dir', installDirOf(client, root)]);
  });

  it('refuses a pin that is not an exact version before running npm', async () => {
    const bad = { ...ecosystemClient('codex-as-api')!, version: '^0.7.0' };
    await expect(ensureInstalledClient(bad, root)).rejects.toMatchObject({ code: 'BAD_CONFIG' });
  });

  it('a local stand-in needs no install and gets its mode on the driver command line', async () => {
    const standIn = ecosystemClient('stand-in-hang')!;
    const installed = await ensureInstalledClient(standIn, root);
    expect(driverCommand(installed, '/repo', 'node')).toEqual(['node', '/repo/src/harness/ecosystem/testdata/stand-in/stand-in-driver.mjs', '--mode', 'hang']);
  });
});
