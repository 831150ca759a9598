import { ConformanceInputError } from '../../errors.js';
import { smoke } from '../../harness/driver/driver-implementation.js';
import type { Command } from '../command.js';

const usage = 'codex-auth-conformance smoke [--timeout-ms N] [--] <driver command> [args...]';

export const smokeCommand: Command = {
  name: 'smoke',
  summary: 'Check that a driver answers the driver protocol (start and stop, validated against the schemas).',
  usage,
  async run(argv, io) {
    let rest = [...argv];
    let timeoutMs = 10_000;
    if (rest[0] === '--timeout-ms') {
      const value = rest[1] ?? '';
      if (!/^\d+$/.test(value)) throw new ConformanceInputError('USAGE', `--timeout-ms must be a positive integer, got ${JSON.stringify(value)}.`, `usage: ${usage}`);
      timeoutMs = Number(value);
      rest = rest.slice(2);
    }
    if (rest[0] === '--') rest = rest.slice(1);
    if (rest.length === 0) throw new ConformanceInputError('USAGE', 'no driver command given.', `usage: ${usage}`);
    const report = await smoke(rest, { timeoutMs });
    if (report.ok) {
      const impl = report.hello.implementation;
      io.out(`ok: ${impl.name} ${impl.version} (${impl.language}) answers driver protocol v1`);
      io.out(`  auth modes: ${report.hello.capabilities.authModes.join(', ') || '(none)'}`);
      io.out(`  callsites:  ${report.hello.capabilities.callsites.join(', ') || '(none)'}`);
      return 0;
    }
    io.out(`not ok: ${report.problem}${report.failure !== undefined ? ` [${report.failure}]` : ''}`);
    if (report.stderrTail !== '') io.out(`  stderr (tail): ${report.stderrTail.slice(-2000)}`);
    return 1;
  },
};
