import { describe, expect, it } from 'vitest';
import { detailTable, summaryTable } from './crash-table.js';
import type { CrashReport } from './kill-campaign.js';

const report: CrashReport = {
  writer: 'tiny-writer inPlace',
  files: ['auth.json'],
  control: { points: [{ syscall: 'openat', when: 2, whenAll: 2, unstable: false, files: ['auth.json'], label: 'openat auth.json O_WRONLY|O_TRUNC' }, { syscall: 'write', when: 1, whenAll: 1, unstable: false, files: ['auth.json'], label: 'write auth.json (64 bytes)' }], verdict: { kind: 'new', message: 'auth.json left as whole JSON with mode 600 (new content)' } },
  kills: [
    { injection: { syscall: 'openat', when: 2, count: 'paths' }, hit: 'openat auth.json O_WRONLY|O_TRUNC', hitWrites: true, killed: true, verdict: { kind: 'old', message: 'auth.json left as whole JSON with mode 600 (the old content, unchanged)' } },
    { injection: { syscall: 'write', when: 1, count: 'paths' }, hit: 'write auth.json', hitWrites: true, killed: true, verdict: { kind: 'empty', message: 'the auth.json the writer left is not whole JSON: 0 bytes' } },
    { injection: { syscall: 'write', when: 2, count: 'paths' }, hitWrites: false, killed: false, verdict: { kind: 'truncated', message: 'the auth.json the writer left is not whole JSON: 64 bytes' } },
  ],
};

describe('crash-safety tables', () => {
  it('SHARE.WRITE.004 the summary counts kill points, kills and broken files by kind', () => {
    const t = summaryTable([report], { 'tiny-writer inPlace': { finding: 'by design', selfCheck: true } });
    expect(t).toContain('| tiny-writer inPlace | auth.json | 2 | 3 | 2 | 1 old, 0 new | **2** (1 empty, 1 truncated) | by design |');
  });

  it('SHARE.WRITE.004 a writer without a broken file reads "never observable half-written"', () => {
    expect(summaryTable([{ ...report, kills: [report.kills[0]!] }])).toContain('| **0** | never observable half-written |');
  });

  it('the detail table lists the write points, then each kill run with its strace injection and verdict', () => {
    const t = detailTable(report);
    expect(t).toContain('| 2 | write:when=1 | `write auth.json` | yes | **empty**:');
    expect(t).toContain('(none: ran to the end)');
    expect(t).toContain('in order: `openat auth.json O_WRONLY|O_TRUNC`, `write auth.json (64 bytes)`');
  });
});
