import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConformanceInputError } from '../errors.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/**
 * Strict argv parsing for one command: unknown flags, missing values and surplus positionals are
 * usage errors (exit 2) that name the flag and show the command's usage line.
 */
export function parseCommandArgs<O extends OptionSpec>(
  argv: readonly string[],
  options: O,
  usage: string,
  positionals: { min: number; max: number } = { min: 0, max: 0 },
) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: positionals.max > 0 });
  } catch (e) {
    throw new ConformanceInputError('USAGE', explainParseError(e), `usage: ${usage}`);
  }
  const count = parsed.positionals.length;
  if (count < positionals.min || count > positionals.max) {
    const wanted = positionals.min === positionals.max ? `${positionals.min}` : `${positionals.min} to ${positionals.max}`;
    throw new ConformanceInputError('USAGE', `expected ${wanted} argument(s), got ${count}.`, `usage: ${usage}`);
  }
  return parsed;
}

/** Parses a non-negative integer flag value, or throws a usage error naming the flag. */
export function intFlag(name: string, value: string | undefined, usage: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) {
    throw new ConformanceInputError('USAGE', `--${name} must be a non-negative integer, got ${JSON.stringify(value)}.`, `usage: ${usage}`);
  }
  return Number(value);
}

/** node:util parseArgs errors in this tool's words (one line, the option named, the way out). */
function explainParseError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: unknown }).code;
  const option = /'(--?[^' <]+)/.exec(message)?.[1] ?? /Unknown option '([^']+)'/.exec(message)?.[1];
  const shown = option === undefined ? '' : option.slice(0, 60);
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${JSON.stringify(shown)}.`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/argument is ambiguous/.test(message)) return `${shown} needs a value; a value that starts with "-" must be written ${shown}=VALUE (and negative numbers are never valid here).`;
      if (/argument missing/.test(message)) return `${shown} needs a value.`;
      if (/does not take an argument/.test(message)) return `${shown} is a switch and takes no value.`;
      return `${shown} has an invalid value.`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${JSON.stringify((/'([^']*)'/.exec(message)?.[1] ?? '').slice(0, 60))}.`;
    default:
      return `${message.split('\n')[0]}.`;
  }
}
