import { describe, expect, it } from 'vitest';
import { processesUnder } from './home-processes.js';

describe('background processes a TUI leaves in its CODEX_HOME', () => {
  const entries = [
    { pid: 11, argv: ['/tmp/run/case/home-home/packages/app-server-daemon/releases/0.171.0/bin/codex', 'app-server', '--listen', 'unix://'] },
    { pid: 12, argv: ['/tmp/run/case/home-home/packages/app-server-daemon/releases/0.171.0/bin/codex', 'app-server', 'daemon', 'pid-update-loop'] },
    { pid: 13, argv: ['/cache/codex-cli/0.171.0/codex', 'exec', '/tmp/run/case/home-home/x'] },
    { pid: 14, argv: ['/tmp/run/case/home-homeX/bin/codex'] },
    { pid: 15, argv: [] },
  ];

  it('GATE.USAGE.001 picks the processes whose executable lies under the home, and only those', () => {
    expect(processesUnder(entries, '/tmp/run/case/home-home')).toEqual([11, 12]);
    expect(processesUnder(entries, '/tmp/run/case/home-home/')).toEqual([11, 12]);
    expect(processesUnder(entries, '/tmp/elsewhere')).toEqual([]);
  });

  it('GATE.USAGE.001 refuses a directory that is not an absolute scratch path', () => {
    expect(() => processesUnder(entries, 'relative/home')).toThrow(TypeError);
    expect(() => processesUnder(entries, '/')).toThrow(TypeError);
  });
});
