/**
 * Turns the `--impl` argument into an Implementation:
 *  - `reference`                the in-process reference client (src/harness/reference-implementation.ts)
 *  - `mutant:<name>`            a buggy variant of it (scenarios/mutants/)
 *  - `driver:<command line>`    a process speaking driver protocol v1 (docs/driver-protocol.md);
 *                               the command line is split with shell rules (no expansion)
 *  - `codex-cli[:<version>]`    the real codex binary, once src/harness/codex-cli/codex-cli-implementation.ts exists
 * Adding a kind: extend IMPLEMENTATION_KINDS, parseImplArg and the switch in selectImplementation.
 */
import { MUTANT_NAMES, mutantImplementation } from '../../scenarios/mutants/index.js';
import { assertNever } from '../assert-never.js';
import { ConformanceInputError } from '../errors.js';
export { quoteShellWord, shellWords } from './shell-words.js';
import { shellWords } from './shell-words.js';
import { probeDriver } from './driver/driver-implementation.js';
import type { Implementation } from './implementation.js';
import type { ProfileId } from '../rules/profiles.js';
import { referenceImplementation } from './reference-implementation.js';

export const IMPLEMENTATION_KINDS = ['reference', 'mutant', 'driver', 'codexCli'] as const;
export type ImplementationKind = (typeof IMPLEMENTATION_KINDS)[number];

export type ImplArg =
  | { readonly kind: 'reference' }
  | { readonly kind: 'mutant'; readonly name: string }
  | { readonly kind: 'driver'; readonly command: readonly string[] }
  | { readonly kind: 'codexCli'; readonly version?: string };

export interface SelectOptions {
  /** Validate driver protocol messages against schemas/driver/v1/ (`--validate`). */
  readonly validate?: boolean;
  /** Let the real codex binary reach the network (`--allow-network`); default: loopback only. */
  readonly allowNetwork?: boolean;
  /** Per-response timeout of a driver process; default 15 s. */
  readonly driverTimeoutMs?: number;
  /** Restarts a driver session may use after uncaught failures; default 1. */
  readonly driverMaxRestarts?: number;
  /** Extra environment for a driver process (e.g. the run CA of production-host impersonation). */
  readonly driverEnv?: Readonly<Record<string, string>>;
  /** Reuse the process of a driver that declares `reset` across cases (default true; `--fresh-process` turns it off). */
  readonly reuseProcesses?: boolean;
  /** The contract profile the reference (and its mutants) behave as; default the newest. */
  readonly profile?: ProfileId;
}

const USAGE = 'use --impl reference, mutant:<name>, driver:<command> or codex-cli[:<version>]';

export function parseImplArg(arg: string): ImplArg {
  if (arg === 'reference') return { kind: 'reference' };
  if (arg.startsWith('mutant:')) {
    const name = arg.slice('mutant:'.length);
    if (name === '') throw new ConformanceInputError('USAGE', '--impl mutant: names no mutant.', `use one of: ${MUTANT_NAMES.map((n) => `mutant:${n}`).join(', ')}.`);
    return { kind: 'mutant', name };
  }
  if (arg.startsWith('driver:')) {
    const command = shellWords(arg.slice('driver:'.length));
    if (command.length === 0) throw new ConformanceInputError('USAGE', '--impl driver: gives no command.', 'pass the driver command after the colon, e.g. --impl "driver:python3 examples/drivers/python/codex_auth_driver.py".');
    return { kind: 'driver', command };
  }
  if (arg === 'codex-cli') return { kind: 'codexCli' };
  if (arg.startsWith('codex-cli:')) {
    const version = arg.slice('codex-cli:'.length);
    if (!/^\d+\.\d+\.\d+([-.+][0-9A-Za-z.-]+)?$/.test(version)) {
      throw new ConformanceInputError('USAGE', `--impl codex-cli:${JSON.stringify(version.slice(0, 40))} is not a version.`, 'give a published @openai/codex version, e.g. --impl codex-cli:0.171.0, or plain codex-cli for the default.');
    }
    return { kind: 'codexCli', version };
  }
  throw new ConformanceInputError('USAGE', `--impl ${JSON.stringify(arg.slice(0, 80))} is not an implementation.`, `${USAGE}.`);
}

/** True when the implementation runs in this process (so the in-process MSW mock can serve it). */
export function isInProcessImplementation(arg: string): boolean {
  const kind = parseImplArg(arg).kind;
  return kind === 'reference' || kind === 'mutant';
}

/**
 * What src/harness/codex-cli/codex-cli-implementation.ts is expected to export (written by the
 * codex-cli helper): `codexCliImplementation({ version, allowNetwork })`.
 */
interface CodexCliModule {
  codexCliImplementation(opts: { readonly version?: string; readonly allowNetwork: boolean }): Implementation | Promise<Implementation>;
}

const CODEX_CLI_MODULE = './codex-cli/codex-cli-implementation.js';

async function loadCodexCli(): Promise<CodexCliModule | undefined> {
  try {
    const mod = (await import(CODEX_CLI_MODULE)) as Partial<CodexCliModule>;
    return typeof mod.codexCliImplementation === 'function' ? (mod as CodexCliModule) : undefined;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
}

export async function selectImplementation(arg: string, opts: SelectOptions = {}): Promise<Implementation> {
  const parsed = parseImplArg(arg);
  switch (parsed.kind) {
    case 'reference':
      return referenceImplementation({}, 'reference', opts.profile);
    case 'mutant':
      return mutantImplementation(parsed.name, opts.profile);
    case 'driver':
      // Probe once (start + stop) so the capabilities are the driver's own before any case runs.
      return probeDriver(parsed.command, {
        timeoutMs: opts.driverTimeoutMs ?? 15_000,
        maxRestarts: opts.driverMaxRestarts ?? 1,
        ...(opts.validate !== undefined ? { validate: opts.validate } : {}),
        ...(opts.driverEnv !== undefined ? { env: opts.driverEnv } : {}),
        ...(opts.reuseProcesses !== undefined ? { reuseProcesses: opts.reuseProcesses } : {}),
      });
    case 'codexCli': {
      const mod = await loadCodexCli();
      if (mod === undefined) {
        throw new ConformanceInputError('USAGE', '--impl codex-cli is not available yet in this build (no codex-cli adapter).', 'run a driver instead (--impl driver:<command>), or update codex-auth-conformance to a version with the codex-cli adapter.');
      }
      return mod.codexCliImplementation({ ...(parsed.version !== undefined ? { version: parsed.version } : {}), allowNetwork: opts.allowNetwork === true });
    }
    default:
      return assertNever(parsed, 'implementation kind');
  }
}
