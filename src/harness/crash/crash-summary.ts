import { BROKEN_KINDS, isBroken, type BrokenKind } from './kill-verdict.js';
import type { CrashReport } from './kill-campaign.js';

/**
 * One writer's crash-safety result in a few numbers and a verdict (the `summary` of
 * bench/results/crash-safety.json, read by the README's ecosystem table for its "survives a kill
 * mid-write" row). The verdict applies SHARE.WRITE.004 to the files a killed writer left:
 * - `pass`: no kill left a broken auth.json;
 * - `fail`: a kill left one, and nothing the writer documents allows it (an ecosystem client);
 * - `finding`: a kill left one, by the writer's design as its source shows (Codex through 0.156:
 *   issue 18, "a finding in the matrix, not a failure");
 * - `selfCheck`: one of the harness's own tiny writers (must break / must never break).
 */
export interface WriterNote {
  /** What the writer's source says about its commit, printed with its row (source cited). */
  readonly finding?: string;
  /** A broken file is the writer's design (its source rewrites in place): a finding, not a failure. */
  readonly byDesign?: true;
  /** One of the harness's own writers that check the mechanism. */
  readonly selfCheck?: true;
}

export type CrashVerdict = 'pass' | 'fail' | 'finding' | 'selfCheck';

export interface CrashSummary {
  /** The writer: `codex-cli:<release>`, `ecosystem:<client>@<version>`, `tiny-writer <mode>`. */
  readonly implementation: string;
  readonly rule: 'SHARE.WRITE.004';
  /** Writing calls on the commit's files in the run without a kill. */
  readonly writePoints: number;
  /** strace injections tried (one writer run each). */
  readonly killRuns: number;
  /** Runs whose log shows the kill at a writing call on the commit's files. */
  readonly killedAtWritePoint: number;
  /** Runs that left auth.json absent, empty, truncated, unparseable, short of a key or not 0600. */
  readonly broken: number;
  readonly brokenKinds: Partial<Record<BrokenKind, number>>;
  readonly verdict: CrashVerdict;
  /** For a broken file: the first such kill (injection, call hit, what it left; no content). */
  readonly evidence?: string;
  readonly finding?: string;
}

export function crashSummary(r: CrashReport, note: WriterNote = {}): CrashSummary {
  const broken = r.kills.filter((k) => isBroken(k.verdict));
  const brokenKinds: Partial<Record<BrokenKind, number>> = {};
  for (const kind of BROKEN_KINDS) {
    const n = broken.filter((k) => k.verdict.kind === kind).length;
    if (n > 0) brokenKinds[kind] = n;
  }
  const first = broken[0];
  const verdict: CrashVerdict = note.selfCheck === true ? 'selfCheck' : broken.length === 0 ? 'pass' : note.byDesign === true ? 'finding' : 'fail';
  return {
    implementation: r.writer,
    rule: 'SHARE.WRITE.004',
    writePoints: r.control.points.length,
    killRuns: r.kills.length,
    killedAtWritePoint: r.kills.filter((k) => k.killed && k.hitWrites).length,
    broken: broken.length,
    brokenKinds,
    verdict,
    ...(first === undefined ? {} : { evidence: `SIGKILL at ${first.hit === undefined ? 'no call (the writer ran to the end)' : `\`${first.hit}\``} (strace inject=${first.injection.syscall}:when=${first.injection.when}${first.injection.count === 'all' ? ', all files' : ''}) left ${first.verdict.kind === 'empty' ? 'auth.json empty' : `a ${first.verdict.kind} auth.json`}: ${first.verdict.message}` }),
    ...(note.finding === undefined ? {} : { finding: note.finding }),
  };
}

/** The summary table's last column: a failure with its evidence first, else the writer's finding. */
export function verdictCell(s: CrashSummary): string {
  const finding = s.finding ?? (s.broken === 0 ? 'never observable half-written' : 'broken file after a kill');
  return s.verdict === 'fail' ? `**failure** (SHARE.WRITE.004): ${s.evidence ?? ''}; ${finding}` : finding;
}
