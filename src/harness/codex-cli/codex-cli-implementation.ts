import { AUTH_MODES } from '../../auth/codex-auth.js';
import type { Implementation, Outcome, Session } from '../implementation.js';
import { codexCliCaseIds, type CodexCliCaseId } from '../judges/codex-cli/case-view.js';
import { checkVersion, DEFAULT_CODEX_VERSION } from './codex-install.js';

/**
 * The published codex binary as a black box. It declares every auth mode and no invocable
 * callsite or introspection: the codex-cli suite runs whole turns and judges the journal. Its
 * Session therefore answers every invoke with `skipped`.
 */
export interface CodexCliOptions {
  /** Accept an unisolated run when no network namespace can be created (`--allow-network`). */
  readonly allowNetwork?: boolean;
  /** Override the install cache (default `<repo>/.cache/codex-cli`). */
  readonly cacheDir?: string;
  readonly caseIds?: readonly CodexCliCaseId[];
  /**
   * Exactly these scenario files (absolute paths, e.g. one shared-credential scenario of a bug
   * entry) instead of the cases and the scenarios the selected rules name.
   */
  readonly scenarioFiles?: readonly string[];
  /** Per-turn timeout (default 90 s). */
  readonly turnTimeoutMs?: number;
}

export interface CodexCliImplementation extends Implementation {
  readonly kind: 'codex-cli';
  readonly options: Required<Pick<CodexCliOptions, 'allowNetwork' | 'caseIds' | 'turnTimeoutMs'>> & Pick<CodexCliOptions, 'cacheDir' | 'scenarioFiles'>;
}

export const DEFAULT_TURN_TIMEOUT_MS = 90_000;

/**
 * `codexCliImplementation('0.171.0', { allowNetwork })`, or the object form the CLI's
 * select-implementation.ts extension point calls: `codexCliImplementation({ version, allowNetwork })`.
 */
export function codexCliImplementation(
  versionOrOptions: string | (CodexCliOptions & { readonly version?: string }) = DEFAULT_CODEX_VERSION,
  extra: CodexCliOptions = {},
): CodexCliImplementation {
  const version = typeof versionOrOptions === 'string' ? versionOrOptions : (versionOrOptions.version ?? DEFAULT_CODEX_VERSION);
  const options: CodexCliOptions = typeof versionOrOptions === 'string' ? extra : { ...versionOrOptions, ...extra };
  checkVersion(version);
  const skipped: Outcome = { kind: 'skipped', reason: 'the codex binary is a black box: callsites are not invocable one by one; the codex-cli suite runs whole turns' };
  return {
    kind: 'codex-cli',
    name: 'codex-cli',
    version,
    capabilities: { authModes: AUTH_MODES, callsites: [], introspect: [] },
    options: {
      allowNetwork: options.allowNetwork === true,
      caseIds: options.caseIds ?? codexCliCaseIds(),
      turnTimeoutMs: options.turnTimeoutMs ?? DEFAULT_TURN_TIMEOUT_MS,
      ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
      ...(options.scenarioFiles === undefined ? {} : { scenarioFiles: options.scenarioFiles }),
    },
    async start(): Promise<Session> {
      return {
        async configure() {},
        async invoke() {
          return skipped;
        },
        async stop() {},
      };
    },
  };
}

export function isCodexCliImplementation(impl: Implementation): impl is CodexCliImplementation {
  return (impl as Partial<CodexCliImplementation>).kind === 'codex-cli';
}
