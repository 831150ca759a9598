import { crashSummary, verdictCell, type WriterNote } from './crash-summary.js';
import { BROKEN_KINDS, isBroken } from './kill-verdict.js';
import type { CrashReport } from './kill-campaign.js';

export type { WriterNote } from './crash-summary.js';

/**
 * Markdown renderings of crash-safety reports: one summary row per writer (kill points tried, how
 * many killed the writer, how many left a broken auth.json, by kind) and one detail table per
 * writer (each kill point: syscall, its strace index, the call hit, the verdict).
 */
export function summaryTable(reports: readonly CrashReport[], notes: Readonly<Record<string, WriterNote>> = {}): string {
  const rows = reports.map((r) => {
    const broken = r.kills.filter((k) => isBroken(k.verdict));
    const byKind = BROKEN_KINDS.map((kind) => [kind, broken.filter((k) => k.verdict.kind === kind).length] as const).filter(([, n]) => n > 0).map(([kind, n]) => `${n} ${kind}`);
    const old = r.kills.filter((k) => k.verdict.kind === 'old').length;
    const fresh = r.kills.filter((k) => k.verdict.kind === 'new').length;
    const cell = verdictCell(crashSummary(r, notes[r.writer]));
    return `| ${r.writer} | ${r.files.join(', ')} | ${r.control.points.length} | ${r.kills.length} | ${r.kills.filter((k) => k.killed && k.hitWrites).length} | ${old} old, ${fresh} new | **${broken.length}**${byKind.length === 0 ? '' : ` (${byKind.join(', ')})`} | ${cell} |`;
  });
  return ['| writer | files of the commit | write points | kill runs | killed at a write point | left whole | broken | verdict and finding |', '|---|---|---:|---:|---:|---|---|---|', ...rows].join('\n');
}

export function detailTable(r: CrashReport): string {
  const points = r.control.points.map((p) => `\`${p.label}\``).join(', ');
  const rows = r.kills.map((k, i) => `| ${i + 1} | ${k.injection.syscall}:when=${k.injection.when}${k.injection.count === 'all' ? ` (all files${k.retryOf === undefined ? '' : `, retry of #${k.retryOf}`})` : ''} | ${k.hit === undefined ? '(none: ran to the end)' : `\`${k.hit}\`${k.hitWrites ? '' : ' (not a write)'}`} | ${k.killed ? 'yes' : 'no'} | ${isBroken(k.verdict) ? `**${k.verdict.kind}**` : k.verdict.kind}: ${k.verdict.message} |`);
  return [`#### ${r.writer}`, '', `Write points of the traced run without a kill, in order: ${points === '' ? '(none)' : points}. That run left: ${r.control.verdict.kind} (${r.control.verdict.message}).`, '', '| # | strace injection (SIGKILL) | call hit | killed | auth.json after the kill |', '|---:|---|---|---|---|', ...rows].join('\n');
}
