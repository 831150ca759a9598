import { execFile } from 'node:child_process';
import { access, constants, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ConformanceInputError } from '../../errors.js';

const run = promisify(execFile);

/**
 * Installs the published codex CLI into a cache outside the project's dependencies and finds
 * its native binary. The npm package `@openai/codex` pulls the binary in through an aliased
 * optional dependency (`@openai/codex-linux-x64` -> `@openai/codex@<v>-linux-x64`) whose
 * `vendor/<triple>/codex-package.json` names the entrypoint (`bin/codex` in 0.171.0).
 * Installing never runs the binary; running it is netns-run.ts's job, and only in a namespace.
 */
export const DEFAULT_CODEX_VERSION = '0.171.0';

export interface NativeTarget {
  /** The alias under node_modules, e.g. `@openai/codex-linux-x64`. */
  readonly packageName: string;
  /** The Rust target triple directory under `vendor/`. */
  readonly triple: string;
}

export interface CodexCliInstall {
  readonly version: string;
  readonly installDir: string;
  readonly binaryPath: string;
  readonly target: NativeTarget;
}

const VERSION = /^\d{1,4}\.\d{1,4}\.\d{1,4}(?:-[0-9A-Za-z.]{1,40})?$/;

/** Env naming a cache directory shared by several checkouts (its `codex-cli/` holds the releases). */
export const CACHE_ENV = 'CODEX_AUTH_CONFORMANCE_CACHE';

/** `$CODEX_AUTH_CONFORMANCE_CACHE/codex-cli` when set (absolute), else `<repo>/.cache/codex-cli` (gitignored). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const shared = env[CACHE_ENV];
  if (shared !== undefined && shared !== '') {
    if (!isAbsolute(shared)) {
      throw new ConformanceInputError('USAGE', `${CACHE_ENV}=${JSON.stringify(shared.slice(0, 200))} is not an absolute path.`, `Set ${CACHE_ENV} to an absolute directory (its codex-cli/ subdirectory holds one install per release).`);
    }
    return join(shared, 'codex-cli');
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../.cache/codex-cli');
}

/** The native package for this platform; only Linux can host the namespace, so only Linux. */
export function nativeTarget(platform: string = process.platform, arch: string = process.arch): NativeTarget {
  if (platform === 'linux' && arch === 'x64') return { packageName: '@openai/codex-linux-x64', triple: 'x86_64-unknown-linux-musl' };
  if (platform === 'linux' && arch === 'arm64') return { packageName: '@openai/codex-linux-arm64', triple: 'aarch64-unknown-linux-musl' };
  throw new ConformanceInputError(
    'BAD_CONFIG',
    `The real-CLI adapter does not support ${platform}/${arch}.`,
    'Run it on Linux x64 or arm64 (it needs Linux network namespaces).',
  );
}

export function checkVersion(version: string): void {
  if (!VERSION.test(version)) {
    throw new ConformanceInputError('USAGE', `"${version}" is not a codex release version.`, 'Pass an exact version such as 0.171.0 (no ranges or tags).');
  }
}

interface CodexPackageJson {
  readonly version?: unknown;
  readonly entrypoint?: unknown;
}

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(() => true, () => false);
}

/**
 * Where releases before the aliased native packages bundle every platform's binary in
 * `@openai/codex` itself (the version only in its package.json), newest layout first:
 * `vendor/<triple>/codex/codex` (0.80.0 and its era), `bin/codex-<triple>` (0.2x-0.3x: the
 * published 0.23.0 tarball lists `bin/codex-x86_64-unknown-linux-musl` beside `bin/codex.js`).
 */
export const BUNDLED_BINARY_LAYOUTS: readonly ((triple: string) => readonly string[])[] = [
  (triple) => ['vendor', triple, 'codex', 'codex'],
  (triple) => ['bin', `codex-${triple}`],
];

async function findBundledBinary(installDir: string, version: string, target: NativeTarget): Promise<string | undefined> {
  const root = join(installDir, 'node_modules', '@openai', 'codex');
  try {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version?: unknown };
    if (pkg.version !== version) return undefined;
  } catch {
    return undefined;
  }
  for (const layout of BUNDLED_BINARY_LAYOUTS) {
    const binary = join(root, ...layout(target.triple));
    if (await executable(binary)) return binary;
  }
  return undefined;
}

/** The binary inside an install dir, or undefined when it is not (fully) installed. */
export async function findCodexBinary(installDir: string, version: string, target: NativeTarget = nativeTarget()): Promise<string | undefined> {
  return (await findAliasedBinary(installDir, version, target)) ?? findBundledBinary(installDir, version, target);
}

async function findAliasedBinary(installDir: string, version: string, target: NativeTarget): Promise<string | undefined> {
  const vendor = join(installDir, 'node_modules', ...target.packageName.split('/'), 'vendor', target.triple);
  let meta: CodexPackageJson;
  try {
    meta = JSON.parse(await readFile(join(vendor, 'codex-package.json'), 'utf8')) as CodexPackageJson;
  } catch {
    // Releases before the `layoutVersion: 1` layout (0.125-0.13x) ship `vendor/<triple>/codex/codex`
    // and name the version only in the alias package's package.json (`<version>-<platform>`).
    try {
      const pkg = JSON.parse(await readFile(join(installDir, 'node_modules', ...target.packageName.split('/'), 'package.json'), 'utf8')) as { version?: unknown };
      if (typeof pkg.version !== 'string' || pkg.version.replace(/-(linux|darwin|win32)-.*$/, '') !== version) return undefined;
      meta = { version, entrypoint: 'codex/codex' };
    } catch {
      return undefined;
    }
  }
  if (meta.version !== version) return undefined;
  const entry = typeof meta.entrypoint === 'string' ? meta.entrypoint : 'bin/codex';
  const binary = resolve(vendor, entry);
  if (!binary.startsWith(`${vendor}/`)) return undefined;
  return (await executable(binary)) ? binary : undefined;
}

/** What an install tells its caller: one announcement, then (on a terminal) the size so far. */
export interface InstallProgress {
  /** One line when an install starts (always shown: it is slow and large). */
  readonly announce?: (line: string) => void;
  /** A transient status line (terminal only); `''` clears it. */
  readonly status?: (text: string) => void;
}

/** Bytes under `dir` (files only; missing entries ignored). */
async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) total += await sizeOf(path);
    else if (e.isFile()) total += await stat(path).then((s) => s.size, () => 0);
  }
  return total;
}

export async function ensureCodexCli(version: string = DEFAULT_CODEX_VERSION, cacheDir: string = defaultCacheDir(), progress: InstallProgress = {}): Promise<CodexCliInstall> {
  checkVersion(version);
  const target = nativeTarget();
  const installDir = join(cacheDir, version);
  let binaryPath = await findCodexBinary(installDir, version, target);
  if (binaryPath === undefined) {
    await mkdir(installDir, { recursive: true });
    progress.announce?.(`… installing @openai/codex@${version} into ${installDir} (first use; about 420 MB from the npm registry)`);
    const status = progress.status;
    const started = Date.now();
    const timer = status === undefined ? undefined : setInterval(() => {
      void sizeOf(installDir).then((bytes) => status(`… installing @openai/codex@${version}: ${Math.round(bytes / 1e6)} MB of about 420 MB, ${Math.round((Date.now() - started) / 1000)} s`));
    }, 1000);
    try {
      await run(
        'npm',
        ['install', '--prefix', installDir, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', `@openai/codex@${version}`],
        { maxBuffer: 16 * 1024 * 1024 },
      );
    } catch (e) {
      throw new ConformanceInputError(
        'BAD_CONFIG',
        `npm install of @openai/codex@${version} into ${installDir} failed.`,
        'Check registry access (npm view @openai/codex@<version>) and disk space (about 420 MB).',
        { cause: e },
      );
    } finally {
      if (timer !== undefined) clearInterval(timer);
      status?.('');
    }
    binaryPath = await findCodexBinary(installDir, version, target);
  }
  if (binaryPath === undefined) {
    throw new ConformanceInputError(
      'BAD_CONFIG',
      `@openai/codex@${version} installed but ${target.packageName} holds no ${target.triple} binary.`,
      'Delete the cache directory and retry; npm may have skipped the optional native dependency.',
    );
  }
  return { version, installDir, binaryPath, target };
}
