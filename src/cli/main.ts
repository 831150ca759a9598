import { isInputError } from '../errors.js';
import { setFingerprintKey } from '../redact/fingerprint.js';
import { resolveFingerprintKey } from '../redact/fingerprint-key.js';
import { COMMANDS } from './commands/index.js';
import type { CommandIo } from './command.js';
import { commandHelp } from './help.js';
import { TOOL_VERSION } from '../harness/runner.js';

/**
 * Entry point of `codex-auth-conformance`. Exit codes: 0 success, 1 a conformance violation,
 * 2 bad input or usage (typed error, no stack trace), 3 an internal error.
 */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(`codex-auth-conformance ${TOOL_VERSION}`);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.err(`error [USAGE]: unknown command ${JSON.stringify(name)}. Fix: use one of ${COMMANDS.map((c) => c.name).join(', ')}.`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(command));
    return 0;
  }
  try {
    // One fingerprint key per workspace (or from the environment): a credential has the same
    // `fp:` in every command's output.
    setFingerprintKey((await resolveFingerprintKey(io.env, io.cwd)).key);
    return await command.run(rest, io);
  } catch (e) {
    if (isInputError(e)) {
      io.err(`error [${e.code}]: ${e.message}`);
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.err(`internal error: ${message}`);
    if (io.env['CODEX_AUTH_CONFORMANCE_DEBUG'] && e instanceof Error && e.stack) io.err(e.stack);
    return 3;
  }
}

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return ['usage: codex-auth-conformance <command> [options]', '       codex-auth-conformance --version', '', 'commands:', ...lines, '', 'Run a command with --help for its options, their defaults, the exit codes and an example.', 'Exit codes: 0 success, 1 a conformance violation, 2 bad input or usage, 3 a bug in the tool.'].join('\n');
}

/** Status lines a child run (`run` re-executed in a namespace) sends its parent on stderr. */
export const STATUS_LINE_PREFIX = '\u001b[status] ';
export const STATUS_ENV = 'CODEX_AUTH_CONFORMANCE_STATUS';

/** Progress goes to a terminal only; a child run forwards it to a parent that has one. */
export function statusWriter(env: Readonly<Record<string, string | undefined>>, stderr: NodeJS.WriteStream): ((text: string) => void) | undefined {
  if (env[STATUS_ENV] === 'forward') return (text) => stderr.write(`${STATUS_LINE_PREFIX}${text}\n`);
  if (stderr.isTTY !== true) return undefined;
  return (text) => stderr.write(text === '' ? '\r\u001b[2K' : `\r\u001b[2K${text.slice(0, Math.max(20, (stderr.columns ?? 80) - 1))}`);
}

const isEntry = process.argv[1] !== undefined && /(?:main\.ts|codex-auth-conformance(?:\.js)?)$/.test(process.argv[1]);
if (isEntry) {
  const status = statusWriter(process.env, process.stderr);
  const code = await main(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    cwd: process.cwd(),
    ...(status !== undefined ? { status } : {}),
  });
  process.exitCode = code;
}
