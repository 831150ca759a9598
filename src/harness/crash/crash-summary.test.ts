import { describe, expect, it } from 'vitest';
import { crashSummary, verdictCell } from './crash-summary.js';
import type { CrashReport } from './kill-campaign.js';

const OLD = { kind: 'old', message: 'auth.json left as whole JSON with mode 600 (the old content, unchanged)' } as const;
const EMPTY = { kind: 'empty', message: 'the auth.json the writer left is not whole JSON: 0 bytes (truncated to empty)' } as const;

const inPlaceClient: CrashReport = {
  writer: 'ecosystem:openai-oauth@2.0.0',
  files: ['auth.json'],
  control: { points: [{ syscall: 'openat', when: 4, whenAll: 40, unstable: false, files: ['auth.json'], label: 'openat auth.json O_WRONLY|O_CREAT|O_TRUNC' }, { syscall: 'write', when: 1, whenAll: 9, unstable: false, files: ['auth.json'], label: 'write auth.json (2494 bytes)' }], verdict: { kind: 'new', message: 'new' } },
  kills: [
    { injection: { syscall: 'openat', when: 4, count: 'paths' }, hit: 'openat auth.json O_WRONLY|O_CREAT|O_TRUNC', hitWrites: true, killed: true, verdict: OLD },
    { injection: { syscall: 'write', when: 1, count: 'paths' }, hit: 'write auth.json', hitWrites: true, killed: true, verdict: EMPTY },
    { injection: { syscall: 'write', when: 2, count: 'paths' }, hitWrites: false, killed: false, verdict: { kind: 'new', message: 'new' } },
  ],
};

describe('crash-safety summary (bench/results/crash-safety.json)', () => {
  it('SHARE.WRITE.004 a client whose kill left auth.json empty fails, with the kill point, the call and what it left', () => {
    const s = crashSummary(inPlaceClient, { finding: 'writes in place' });
    expect(s).toMatchObject({ implementation: 'ecosystem:openai-oauth@2.0.0', rule: 'SHARE.WRITE.004', writePoints: 2, killRuns: 3, killedAtWritePoint: 2, broken: 1, brokenKinds: { empty: 1 }, verdict: 'fail' });
    expect(s.evidence).toBe('SIGKILL at `write auth.json` (strace inject=write:when=1) left auth.json empty: the auth.json the writer left is not whole JSON: 0 bytes (truncated to empty)');
    expect(verdictCell(s)).toMatch(/^\*\*failure\*\* \(SHARE\.WRITE\.004\): SIGKILL at `write auth\.json`.*; writes in place$/);
  });

  it('SHARE.WRITE.004 the same file left by a writer whose source rewrites in place by design is a finding, not a failure', () => {
    const s = crashSummary({ ...inPlaceClient, writer: 'codex-cli:0.156.0' }, { byDesign: true, finding: 'by design' });
    expect(s.verdict).toBe('finding');
    expect(verdictCell(s)).toBe('by design');
  });

  it('SHARE.WRITE.004 no broken file passes; the harness\'s own writers are self-checks', () => {
    const whole = { ...inPlaceClient, kills: [inPlaceClient.kills[0]!] };
    expect(crashSummary(whole)).toMatchObject({ verdict: 'pass', broken: 0, brokenKinds: {} });
    expect(crashSummary(whole).evidence).toBeUndefined();
    expect(verdictCell(crashSummary(whole))).toBe('never observable half-written');
    expect(crashSummary(inPlaceClient, { selfCheck: true }).verdict).toBe('selfCheck');
  });
});
