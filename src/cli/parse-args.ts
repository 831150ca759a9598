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
    const message = e instanceof Error ? e.message : String(e);
    throw new ConformanceInputError('USAGE', `${message}.`, `usage: ${usage}`);
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
