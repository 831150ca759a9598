import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isInputError } from '../../errors.js';
import { checkVersion, defaultCacheDir, ensureCodexCli, findCodexBinary, nativeTarget } from './codex-install.js';
import { tempDir } from '../../testing/temp-dirs.js';

const linux = nativeTarget('linux', 'x64');

async function fakeInstall(root: string, version: string, meta: object, binary = 'bin/codex'): Promise<string> {
  const vendor = join(root, version, 'node_modules', '@openai', 'codex-linux-x64', 'vendor', linux.triple);
  await mkdir(join(vendor, 'bin'), { recursive: true });
  await writeFile(join(vendor, 'codex-package.json'), JSON.stringify(meta));
  await writeFile(join(vendor, binary), '#!/bin/false\n');
  await chmod(join(vendor, binary), 0o755);
  return join(vendor, binary);
}

describe('nativeTarget', () => {
  it('maps linux x64 to the musl binary package', () => {
    expect(linux).toEqual({ packageName: '@openai/codex-linux-x64', triple: 'x86_64-unknown-linux-musl' });
  });

  it('refuses platforms without network namespaces', () => {
    try {
      nativeTarget('darwin', 'arm64');
      expect.unreachable();
    } catch (e) {
      expect(isInputError(e) && e.code).toBe('BAD_CONFIG');
    }
  });
});

describe('checkVersion', () => {
  it.each(['latest', '^0.171.0', '0.171', 'file:../x', '0.171.0 --global'])('refuses %j', (v) => {
    expect(() => checkVersion(v)).toThrow(/not a codex release version/);
  });
  it('accepts an exact release', () => {
    expect(() => checkVersion('0.171.0')).not.toThrow();
  });
});

describe('findCodexBinary / ensureCodexCli', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('finds the entrypoint named by codex-package.json and reuses the cache without npm', async () => {
    const cache = await tempDir('codex-cache-');
    dirs.push(cache);
    const bin = await fakeInstall(cache, '9.9.9', { version: '9.9.9', entrypoint: 'bin/codex' });
    expect(await findCodexBinary(join(cache, '9.9.9'), '9.9.9', linux)).toBe(bin);
    if (process.platform === 'linux' && process.arch === 'x64') {
      expect((await ensureCodexCli('9.9.9', cache)).binaryPath).toBe(bin);
    }
  });

  it('treats a version mismatch or an entrypoint outside vendor/ as not installed', async () => {
    const cache = await tempDir('codex-cache-');
    dirs.push(cache);
    await fakeInstall(cache, '1.0.0', { version: '1.0.1' });
    expect(await findCodexBinary(join(cache, '1.0.0'), '1.0.0', linux)).toBeUndefined();
    await fakeInstall(cache, '2.0.0', { version: '2.0.0', entrypoint: '../../../../../../etc/passwd' });
    expect(await findCodexBinary(join(cache, '2.0.0'), '2.0.0', linux)).toBeUndefined();
  });

  it('finds the binary a pre-alias release (0.80.0) bundles in @openai/codex itself, checking its version', async () => {
    const cache = await tempDir('codex-cache-');
    dirs.push(cache);
    const root = join(cache, '0.80.0', 'node_modules', '@openai', 'codex');
    const dir = join(root, 'vendor', linux.triple, 'codex');
    await mkdir(dir, { recursive: true });
    await writeFile(join(root, 'package.json'), JSON.stringify({ name: '@openai/codex', version: '0.80.0' }));
    await writeFile(join(dir, 'codex'), '#!/bin/false\n');
    await chmod(join(dir, 'codex'), 0o755);
    expect(await findCodexBinary(join(cache, '0.80.0'), '0.80.0', linux)).toBe(join(dir, 'codex'));
    expect(await findCodexBinary(join(cache, '0.80.0'), '0.81.0', linux)).toBeUndefined();
  });

  it('finds the binary a 0.2x release bundles as bin/codex-<triple> in @openai/codex itself, checking its version', async () => {
    const cache = await tempDir('codex-cache-');
    dirs.push(cache);
    const root = join(cache, '0.23.0', 'node_modules', '@openai', 'codex');
    await mkdir(join(root, 'bin'), { recursive: true });
    await writeFile(join(root, 'package.json'), JSON.stringify({ name: '@openai/codex', version: '0.23.0' }));
    const bin = join(root, 'bin', `codex-${linux.triple}`);
    await writeFile(bin, '#!/bin/false\n');
    await chmod(bin, 0o755);
    expect(await findCodexBinary(join(cache, '0.23.0'), '0.23.0', linux)).toBe(bin);
    expect(await findCodexBinary(join(cache, '0.23.0'), '0.25.0', linux)).toBeUndefined();
  });

  it('keeps the cache under the repository .cache directory', () => {
    expect(defaultCacheDir({})).toMatch(/\/\.cache\/codex-cli$/);
  });

  it('takes a shared cache from CODEX_AUTH_CONFORMANCE_CACHE (absolute only)', () => {
    expect(defaultCacheDir({ CODEX_AUTH_CONFORMANCE_CACHE: '/srv/codex-cache' })).toBe('/srv/codex-cache/codex-cli');
    try {
      defaultCacheDir({ CODEX_AUTH_CONFORMANCE_CACHE: 'relative/dir' });
      expect.unreachable();
    } catch (e) {
      expect(isInputError(e) && e.code).toBe('USAGE');
    }
  });
});
