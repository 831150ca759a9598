/**
 * The whole corpus for CI: every entry on its affected implementation (must reproduce) and, where
 * a fix is known, on the fixed one (must pass). The Markdown table for the README is rendered
 * from one such run; nothing in it is written by hand.
 */
import type { Bug } from './bug.js';
import { describeBugRun, runBug, type BugRun } from './run-bug.js';

export interface CorpusRow {
  readonly bug: Bug;
  readonly affected: BugRun | { readonly error: string };
  readonly fixed?: BugRun | { readonly error: string };
}

export interface CorpusRun {
  readonly rows: readonly CorpusRow[];
  /** Every entry reproduced and every known fix held. */
  readonly ok: boolean;
  readonly durationMs: number;
}

function isRun(x: BugRun | { readonly error: string }): x is BugRun {
  return 'outcome' in x;
}

async function attempt(bug: Bug, against: 'affected' | 'fixed', allowNetwork: boolean): Promise<BugRun | { error: string }> {
  try {
    return await runBug(bug, against, { allowNetwork });
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0]!.slice(0, 300) };
  }
}

export async function runCorpus(bugs: readonly Bug[], opts: { readonly allowNetwork?: boolean; readonly onLine?: (line: string) => void } = {}): Promise<CorpusRun> {
  const started = performance.now();
  const rows: CorpusRow[] = [];
  for (const bug of bugs) {
    const affected = await attempt(bug, 'affected', opts.allowNetwork === true);
    opts.onLine?.(isRun(affected) ? describeBugRun(affected) : `ERROR ${bug.id} on ${bug.affects.implementation.arg}: ${affected.error}`);
    let fixed: CorpusRow['fixed'];
    if (bug.fixed !== undefined) {
      fixed = await attempt(bug, 'fixed', opts.allowNetwork === true);
      opts.onLine?.(isRun(fixed) ? describeBugRun(fixed) : `ERROR ${bug.id} on ${bug.fixed.implementation.arg}: ${fixed.error}`);
    }
    rows.push({ bug, affected, ...(fixed === undefined ? {} : { fixed }) });
  }
  const ok = rows.every((r) => isRun(r.affected) && r.affected.outcome.kind === 'reproduced' && (r.fixed === undefined || (isRun(r.fixed) && r.fixed.outcome.kind === 'fixedPasses')));
  return { rows, ok, durationMs: Math.round(performance.now() - started) };
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function linkOf(bug: Bug): string {
  const first = bug.links[0]!;
  const label = /github\.com\/([^/]+\/[^/]+)\/(?:issues|pull)\/(\d+)/.exec(first);
  return label === null ? `[${first.replace(/^https:\/\//, '').slice(0, 40)}](${first})` : `[${label[1]}#${label[2]}](${first})`;
}

function reproducedCell(r: CorpusRow): string {
  if (!isRun(r.affected)) return `no (error: ${r.affected.error.slice(0, 80)})`;
  if (r.affected.outcome.kind === 'reproduced') return r.affected.outcome.findings.length === 0 ? 'yes' : `yes (${r.affected.outcome.findings.join(', ')} a finding: the release's own source intends it)`;
  return `no (${Object.entries(r.affected.verdicts).map(([k, v]) => `${k} ${v}`).join(', ')})`;
}

function fixedCell(r: CorpusRow): string {
  if (r.bug.fixed === undefined || r.fixed === undefined) return 'none known';
  const impl = `\`${r.bug.fixed.implementation.arg}\``;
  if (!isRun(r.fixed)) return `${impl}: error`;
  return `${impl}: ${r.fixed.outcome.kind === 'fixedPasses' ? 'passes' : `**does not pass** (${Object.entries(r.fixed.verdicts).map(([k, v]) => `${k} ${v}`).join(', ')})`}`;
}

/** The README table: bug, link, affected, fixed, rule, reproduced (one row per entry). */
export function corpusTable(run: CorpusRun): string {
  const lines = ['| bug | link | affected | fixed | rule | reproduced |', '| --- | --- | --- | --- | --- | --- |'];
  for (const r of run.rows) {
    lines.push(`| ${cell(`\`${r.bug.id}\`: ${r.bug.symptom.slice(0, 90)}${r.bug.symptom.length > 90 ? '…' : ''}`)} | ${linkOf(r.bug)} | \`${r.bug.affects.implementation.arg}\` | ${cell(fixedCell(r))} | ${r.bug.rules.join(', ')} | ${cell(reproducedCell(r))} |`);
  }
  const reproduced = run.rows.filter((r) => isRun(r.affected) && r.affected.outcome.kind === 'reproduced').length;
  const real = run.rows.filter((r) => isRun(r.affected) && r.affected.outcome.kind === 'reproduced' && (r.bug.affects.implementation.kind === 'codexCli' || r.bug.affects.implementation.kind === 'ecosystem')).length;
  lines.push('', `${reproduced} of ${run.rows.length} entries reproduced (${real} on a real affected build), ${run.ok ? 'every known fix passes' : 'NOT every entry reproduced or every fix held'}; one run, ${(run.durationMs / 1000).toFixed(1)} s wall.`);
  return lines.join('\n');
}
