import { describe, expect, it } from 'vitest';
import { categoryCounts, overlayReports, scoreFile, scoreTable, survivorList, type MutationReport } from './table.js';

const m = (status: string, line = 1) => ({ id: String(line), mutatorName: 'EqualityOperator', replacement: 'a !== b', status, location: { start: { line, column: 1 } } }) as never;

describe('mutation score table', () => {
  it('scores killed and timed-out mutants over every valid one (errors excluded)', () => {
    const s = scoreFile('a.ts', [m('Killed'), m('Timeout'), m('Survived'), m('NoCoverage'), m('CompileError')]);
    expect(s).toMatchObject({ killed: 1, timeout: 1, survived: 1, noCoverage: 1, errors: 1, score: 50 });
    expect(scoreFile('b.ts', [m('CompileError')]).score).toBeUndefined();
  });

  it('renders one row per file and a total, and lists survivors with file and line', () => {
    const report: MutationReport = { files: { 'src/b.ts': { mutants: [m('Killed', 3), m('Survived', 9)] }, 'src/a.ts': { mutants: [m('NoCoverage', 4)] } } };
    const table = scoreTable(report).split('\n');
    expect(table[2]).toMatch(/^\| src\/a\.ts \| 0\.0% /);
    expect(table[3]).toMatch(/^\| src\/b\.ts \| 50\.0% /);
    expect(table[4]).toMatch(/^\| all files \| 33\.3% \| 1 \| 0 \| 1 \| 1 \| 0 \| 0 \|$/);
    expect(survivorList(report)).toBe('- src/a.ts:4 (no coverage) EqualityOperator: `a !== b`\n- src/b.ts:9 EqualityOperator: `a !== b`');
  });

  it('sorts survivors into not executed, message text and the rest', () => {
    const msg = { id: '9', mutatorName: 'StringLiteral', replacement: '""', status: 'Survived', location: { start: { line: 2, column: 1 } } } as never;
    const report: MutationReport = { files: { 'a.ts': { mutants: [m('NoCoverage'), msg, m('Survived'), m('Killed')] } } };
    expect(categoryCounts(report)).toEqual({ noCoverage: 1, messageText: 1, unclassified: 1 });
    expect(survivorList(report)).toContain('a.ts:2 (message text) StringLiteral');
  });

  it('counts disabled (Ignored) mutants apart, outside the score', () => {
    expect(scoreFile('a.ts', [m('Killed'), m('Ignored'), m('Survived')])).toMatchObject({ ignored: 1, score: 50 });
  });

  it('overlays per-file runs on the full run: a file of a per-file report replaces the full run\'s entry, the others stay', () => {
    const base: MutationReport = { files: { 'src/a.ts': { mutants: [m('Survived')] }, 'src/b.ts': { mutants: [m('Killed')] } } };
    const perFile: MutationReport = { files: { 'src/a.ts': { mutants: [m('Killed'), m('Killed')] } } };
    const { report, sources } = overlayReports(base, [{ source: 'a.json', report: perFile }]);
    expect(scoreFile('a', report.files['src/a.ts']!.mutants).score).toBe(100);
    expect(report.files['src/b.ts']).toBe(base.files['src/b.ts']);
    expect(sources.get('src/a.ts')).toBe('a.json');
    expect(sources.get('src/b.ts')).toBe('full run');
  });
});
