import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConformanceInputError } from '../../errors.js';
import { NETNS_MARKER_ENV } from '../isolation/isolation-guard.js';
import { buildInnerProcess, innerEntryPath, innerFailure, LINE_PREFIX, parseInnerArgs, parseInnerOutput } from './netns-reexec.js';

const args = { binaryPath: '/cache/0.171.0/bin/codex', version: '0.171.0', caseIds: ['apiKey', 'agentIdentity'] as const, timeoutMs: 90_000 };

describe('re-exec of the harness inside the namespace', () => {
  it('builds `node --import tsx in-netns-entry.ts` with the marker and no inherited environment', () => {
    const p = buildInnerProcess(args, { PATH: '/usr/bin', root: '/repo' });
    expect(p.command).toBe(process.execPath);
    expect(p.args.slice(0, 3)).toEqual(['--import', 'tsx', innerEntryPath()]);
    expect(p.args.slice(3)).toEqual(['--binary', args.binaryPath, '--version', '0.171.0', '--cases', 'apiKey,agentIdentity', '--timeout-ms', '90000']);
    expect(p.env).toEqual({ PATH: '/usr/bin', [NETNS_MARKER_ENV]: '1' });
    expect(p.cwd).toBe('/repo');
  });

  it('the inner argument parser reads back what the builder wrote', () => {
    expect(parseInnerArgs(buildInnerProcess(args).args.slice(3))).toEqual({ ...args, caseIds: [...args.caseIds] });
  });

  it('refuses an empty case selection and unknown cases with typed errors', () => {
    expect(() => buildInnerProcess({ ...args, caseIds: [] })).toThrow(ConformanceInputError);
    expect(() => parseInnerArgs(['--binary', 'b', '--version', '1.0.0', '--cases', 'nope', '--timeout-ms', '5'])).toThrow(/not a codex-cli case/);
    expect(() => parseInnerArgs(['--binary', 'b', '--version', '1.0.0', '--cases', 'apiKey', '--timeout-ms', '-5'])).toThrow(ConformanceInputError);
  });

  it('any argv gives a parsed result or a ConformanceInputError, never another exception', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('--binary', '--version', '--cases', '--timeout-ms', 'apiKey', '10')), { maxLength: 10 }), (argv) => {
        try {
          parseInnerArgs(argv);
        } catch (e) {
          expect(e).toBeInstanceOf(ConformanceInputError);
        }
      }),
    );
  });

  it('parses prefixed result and evidence lines, ignores noise and torn lines, and sees `done`', () => {
    const result = { type: 'case', ruleId: 'HDR.AUTH.001', caseId: 'codex-cli:apiKey', verdict: 'pass', message: 'm', durationMs: 1 };
    const text = ['msw: warning', `${LINE_PREFIX.result}${JSON.stringify(result)}`, `${LINE_PREFIX.evidence}{"caseId":"apiKey","outcome":"exit 0","durationMs":1,"requests":[],"unhandled":[]}`, `${LINE_PREFIX.result}{"torn`, LINE_PREFIX.done, ''].join('\n');
    const out = parseInnerOutput(text);
    expect(out.results).toEqual([result]);
    expect(out.evidence.map((e) => e.caseId)).toEqual(['apiKey']);
    expect(out.done).toBe(true);
    expect(parseInnerOutput('nothing').done).toBe(false);
  });

  it('an inner run that ended early errors every rule (the run is never ok)', () => {
    const out = innerFailure(['HDR.AUTH.001', 'AGENT.TASK.001'], 'exit 2');
    expect(out.map((r) => [r.ruleId, r.verdict])).toEqual([['HDR.AUTH.001', 'error'], ['AGENT.TASK.001', 'error']]);
  });
});
