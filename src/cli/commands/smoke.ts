import { ConformanceInputError } from '../../errors.js';
import { smoke } from '../../harness/driver/driver-implementation.js';
import { checkDriverCommand } from '../../harness/driver/driver-command.js';
import { isolateForeignCode } from '../../harness/isolation/isolated-run.js';
import { redactedExcerpt } from '../../redact/redact-text.js';
import { stopAfterValidation, type Command } from '../command.js';

const usage = 'codex-auth-conformance smoke [--timeout-ms N] [--allow-network] [--] <driver command> [args...]';

export const smokeCommand: Command = {
  name: 'smoke',
  summary: 'Check that a driver answers the driver protocol (start and stop, validated against the schemas).',
  usage,
  async run(argv, io) {
    let rest = [...argv];
    let timeoutMs = 10_000;
    let allowNetwork = false;
    // Options come before the driver command (everything after `--` or the first other word).
    for (;;) {
      if (rest[0] === '--timeout-ms') {
        const value = rest[1] ?? '';
        if (!/^\d{1,7}$/.test(value) || Number(value) < 1) throw new ConformanceInputError('USAGE', `--timeout-ms must be a positive integer (milliseconds), got ${JSON.stringify(value.slice(0, 40))}.`, `usage: ${usage}`);
        timeoutMs = Number(value);
        rest = rest.slice(2);
      } else if (rest[0] === '--allow-network') {
        allowNetwork = true;
        rest = rest.slice(1);
      } else if (rest[0] !== undefined && rest[0] !== '--' && rest[0].startsWith('--')) {
        throw new ConformanceInputError('USAGE', `unknown option ${JSON.stringify(rest[0].slice(0, 40))} before the driver command.`, `put the driver command after --. usage: ${usage}`);
      } else {
        break;
      }
    }
    if (rest[0] === '--') rest = rest.slice(1);
    if (rest.length === 0 || rest[0] === '') throw new ConformanceInputError('USAGE', 'no driver command given.', `usage: ${usage}`);
    checkDriverCommand(rest, io.cwd, io.env);
    if (stopAfterValidation(io)) return 0;
    // A driver is foreign code: start it only where nothing but loopback is reachable.
    const isolated = await isolateForeignCode('smoke', argv, io, allowNetwork);
    if (isolated !== undefined) return isolated;
    const report = await smoke(rest, { timeoutMs });
    if (report.ok) {
      const impl = report.hello.implementation;
      io.out(`ok: ${impl.name} ${impl.version} (${impl.language}) answers driver protocol v1`);
      io.out(`  auth modes: ${report.hello.capabilities.authModes.join(', ') || '(none)'}`);
      io.out(`  callsites:  ${report.hello.capabilities.callsites.join(', ') || '(none)'}`);
      io.out(`  introspect: ${report.hello.capabilities.introspect.join(', ') || '(none)'}`);
      return 0;
    }
    // A driver that does not start or answer (missing, crashing, garbage) is bad input, as in `run`: exit 2.
    io.out(`not ok: ${report.problem}${report.failure !== undefined ? ` [${report.failure}]` : ''}`);
    if (report.stderrTail !== '') io.out(`  stderr (tail, secrets fingerprinted): ${redactedExcerpt(report.stderrTail, 2000)}`);
    io.err(`error [DRIVER_PROTOCOL]: ${report.problem}`);
    return 2;
  },
};
