import { ConformanceInputError } from '../../errors.js';
import type { Implementation } from '../implementation.js';
import type { Suite } from '../suite.js';
import { ALL_SUITES } from '../suites/index.js';
import { codexCliImplementation, type CodexCliOptions } from './codex-cli-implementation.js';
import { codexCliSuite, planIsolation } from './codex-cli-suite.js';
import { checkVersion, DEFAULT_CODEX_VERSION } from './codex-install.js';
import type { ProfileId } from '../../rules/profiles.js';
import { codexCliExercisedRules } from '../judges/codex-cli/judge-cases.js';
import { probeNetns } from '../isolation/netns-run.js';

/**
 * The `--impl codex-cli[:<version>]` extension point for the CLI (`run` command):
 *  - `parseCodexCliImplArg(arg)`: the version, or undefined for another implementation;
 *  - `selectCodexCliImplementation(arg, {allowNetwork})`: the Implementation, refusing early
 *    (typed BAD_CONFIG) when no namespace can be made and --allow-network is not given;
 *  - `suitesFor(arg)`: `[codexCliSuite]` for codex-cli, else ALL_SUITES;
 *  - `defaultRulePrefixesFor(arg)`: the rules the black box exercises, so a plain
 *    `run --impl codex-cli --expect expectations/codex-cli.json` can exit 0; pass `--rules` to
 *    see the not-exercised rules as skips.
 */
export function parseCodexCliImplArg(implArg: string): string | undefined {
  if (implArg !== 'codex-cli' && !implArg.startsWith('codex-cli:')) return undefined;
  const version = implArg === 'codex-cli' ? DEFAULT_CODEX_VERSION : implArg.slice('codex-cli:'.length);
  if (version === '') throw new ConformanceInputError('USAGE', '--impl codex-cli: names no version.', 'Write codex-cli or codex-cli:<version>, e.g. codex-cli:0.171.0.');
  checkVersion(version);
  return version;
}

/** The release an `--impl codex-cli[:<version>]` argument names (undefined for other implementations). */
export function codexCliVersionOf(implArg: string): string | undefined {
  return isCodexCliImplArg(implArg) ? parseCodexCliImplArg(implArg) : undefined;
}

export function isCodexCliImplArg(implArg: string): boolean {
  return implArg === 'codex-cli' || implArg.startsWith('codex-cli:');
}

export async function selectCodexCliImplementation(implArg: string, options: Omit<CodexCliOptions, 'caseIds'> = {}): Promise<Implementation> {
  const version = parseCodexCliImplArg(implArg);
  if (version === undefined) throw new ConformanceInputError('USAGE', `${implArg} is not a codex-cli implementation.`, 'Write codex-cli or codex-cli:<version>.');
  planIsolation(await probeNetns(), options.allowNetwork === true);
  return codexCliImplementation(version, options);
}

export function suitesFor(implArg: string): readonly Suite[] {
  return isCodexCliImplArg(implArg) ? [codexCliSuite] : ALL_SUITES;
}

/** Rule prefixes a run selects when the user passes no --rules (undefined: every rule). */
export function defaultRulePrefixesFor(implArg: string, profile: ProfileId): readonly string[] | undefined {
  return isCodexCliImplArg(implArg) ? codexCliExercisedRules(profile) : undefined;
}
