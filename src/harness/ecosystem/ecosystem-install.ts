import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConformanceInputError } from '../../errors.js';
import { cacheRoot } from './cache-dir.js';
import type { EcosystemClient } from './clients.js';

const run = promisify(execFile);

/**
 * Installs a pinned third-party client into `<cache>/ecosystem/<id>@<version>` with
 * `npm install --ignore-scripts` (no install script of the package ever runs) and finds it there.
 * Installing needs the registry, so it happens before the run enters its loopback-only namespace;
 * inside, `findInstalledClient` only looks.
 */
export interface InstalledClient {
  readonly client: EcosystemClient;
  /** Directory holding `node_modules/<npmName>`; the driver imports the package from there. */
  readonly installDir: string;
  readonly packageDir: string;
  readonly version: string;
}

const VERSION = /^\d{1,4}\.\d{1,4}\.\d{1,4}(?:-[0-9A-Za-z.]{1,40})?$/;
const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

export function installDirOf(client: EcosystemClient, root: string = cacheRoot()): string {
  return join(root, 'ecosystem', `${client.id}@${client.version}`);
}

function checkPin(client: EcosystemClient): void {
  if (!NPM_NAME.test(client.npmName) || !VERSION.test(client.version)) {
    throw new ConformanceInputError('BAD_CONFIG', `${client.id}: "${client.npmName}@${client.version}" is not an exact npm package version.`, 'Pin an exact published version (no ranges or tags).');
  }
  for (const spec of client.alongside ?? []) {
    const at = spec.lastIndexOf('@');
    if (at <= 0 || !NPM_NAME.test(spec.slice(0, at)) || !VERSION.test(spec.slice(at + 1))) {
      throw new ConformanceInputError('BAD_CONFIG', `${client.id}: "${spec}" is not an exact npm package version.`, 'Pin an exact published version (no ranges or tags).');
    }
  }
}

/** The installed client, or undefined when it is missing or at another version. */
export async function findInstalledClient(client: EcosystemClient, root: string = cacheRoot()): Promise<InstalledClient | undefined> {
  if (client.local === true) return { client, installDir: '', packageDir: '', version: client.version };
  const installDir = installDirOf(client, root);
  const packageDir = join(installDir, 'node_modules', ...client.npmName.split('/'));
  try {
    const meta = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version?: unknown };
    if (meta.version !== client.version) return undefined;
  } catch {
    return undefined;
  }
  return { client, installDir, packageDir, version: client.version };
}

/** The command that starts the client's driver (repository-relative script resolved against `repoRoot`). */
export function driverCommand(installed: InstalledClient, repoRoot: string, node: string = process.execPath): string[] {
  const script = join(repoRoot, installed.client.driver);
  return [node, script, ...(installed.client.local === true ? [] : ['--install-dir', installed.installDir]), ...(installed.client.driverArgs ?? [])];
}

export async function ensureInstalledClient(client: EcosystemClient, root: string = cacheRoot()): Promise<InstalledClient> {
  if (client.local === true) return { client, installDir: '', packageDir: '', version: client.version };
  checkPin(client);
  const found = await findInstalledClient(client, root);
  if (found !== undefined) return found;
  const installDir = installDirOf(client, root);
  await mkdir(installDir, { recursive: true });
  const specs = [`${client.npmName}@${client.version}`, ...(client.alongside ?? [])];
  try {
    await run('npm', ['install', '--prefix', installDir, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=dev', ...specs], { maxBuffer: 16 * 1024 * 1024, timeout: 600_000 });
  } catch (e) {
    throw new ConformanceInputError('BAD_CONFIG', `npm install of ${specs.join(' ')} into ${installDir} failed.`, `Check registry access (npm view ${client.npmName}@${client.version}) and disk space.`, { cause: e });
  }
  const installed = await findInstalledClient(client, root);
  if (installed === undefined) {
    throw new ConformanceInputError('BAD_CONFIG', `${client.npmName}@${client.version} is not in ${installDir} after npm install.`, 'Delete that directory and retry.');
  }
  return installed;
}
