import { quoteShellWord } from './shell-words.js';

/**
 * How a replay command starts: the form the README uses (`npx codex-auth-conformance run ...`),
 * so it pastes as it is in a clone or in a project that installed the package.
 */
export const REPLAY_PREFIX = ['npx', 'codex-auth-conformance', 'run'] as const;

/** The command line that re-runs exactly one failing case of one rule. */
export function replayCommand(r: { readonly implArg: string; readonly profile?: string; readonly ruleId: string; readonly seed: number; readonly path?: string; readonly replayPath?: string; readonly afterPaths?: readonly string[] }): string {
  const words: string[] = [...REPLAY_PREFIX, '--impl', quoteShellWord(r.implArg), ...(r.profile !== undefined ? ['--profile', r.profile] : []), '--rules', r.ruleId, '--seed', String(r.seed)];
  if (r.path !== undefined) words.push('--path', r.path);
  if (r.replayPath !== undefined) words.push('--replay-path', quoteShellWord(r.replayPath));
  if (r.afterPaths !== undefined && r.afterPaths.length > 0) words.push('--after-path', r.afterPaths.join(','));
  return words.join(' ');
}
