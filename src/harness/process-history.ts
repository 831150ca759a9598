import type { Implementation } from './implementation.js';

/** Why a failure needs the cases its process served before it, and which to replay first. */
export interface HistoryVerdict {
  /** Paths to run first (`--after-path`), oldest first; absent when the history is not replayable. */
  readonly afterPaths?: readonly string[];
  /** The finding, naming the implementation: its state survived `reset`. */
  readonly finding: string;
}

export interface HistoryProbe {
  readonly implementation: Pick<Implementation, 'name' | 'version' | 'processHistory' | 'setProcessReuse' | 'close'>;
  /** The case id the counterexample was re-run under (its process history is looked up). */
  readonly counterexampleId: string;
  /** Rules that failed in that re-run. */
  readonly rules: readonly string[];
  /** The fast-check path of each case id the property ran. */
  readonly pathOf: ReadonlyMap<string, string>;
  /** Runs the counterexample once more under `caseId`; resolves to the rules that failed. */
  runCounterexample(caseId: string): Promise<ReadonlySet<string>>;
  /** Runs the case at `path` under `caseId` (its verdicts are not kept). */
  runPath(caseId: string, path: string): Promise<void>;
}

/**
 * A failure seen on a process that served other cases before (a driver with `reset`) may depend
 * on state that survived the reset. Re-run the counterexample in a fresh process: a rule that
 * fails there too needs no history. A rule that passes there is re-run after the shortest suffix
 * of the process's history that makes it fail again (1, 2, 4, ... cases, each time on a new
 * process), and that suffix is what its replay runs first. Returns a verdict per such rule.
 */
export async function explainByProcessHistory(probe: HistoryProbe): Promise<Map<string, HistoryVerdict>> {
  const out = new Map<string, HistoryVerdict>();
  const impl = probe.implementation;
  const before = impl.processHistory?.(probe.counterexampleId) ?? [];
  if (before.length === 0 || impl.setProcessReuse === undefined || impl.close === undefined || probe.rules.length === 0) return out;
  impl.setProcessReuse(false);
  let failingFresh: ReadonlySet<string>;
  try {
    failingFresh = await probe.runCounterexample(`${probe.counterexampleId}-fresh`);
  } finally {
    impl.setProcessReuse(true);
  }
  const dependent = probe.rules.filter((r) => !failingFresh.has(r));
  if (dependent.length === 0) return out;
  const who = `${impl.name} ${impl.version}`;
  const paths = before.map((id) => probe.pathOf.get(id));
  if (paths.some((p) => p === undefined)) {
    for (const r of dependent) out.set(r, { finding: `state survived reset: ${who} passes this case in a fresh process and failed it after serving ${before.length} earlier case(s) in one process, not all of them replayable (run with --fresh-process to turn reuse off)` });
    return out;
  }
  const known = paths as string[];
  const lengths = [...new Set([...Array.from({ length: Math.ceil(Math.log2(known.length)) + 1 }, (_, i) => Math.min(2 ** i, known.length)), known.length])];
  for (const k of lengths) {
    const suffix = known.slice(-k);
    await impl.close();
    for (const [i, p] of suffix.entries()) await probe.runPath(`${probe.counterexampleId}-h${k}-${i + 1}`, p);
    const failing = await probe.runCounterexample(`${probe.counterexampleId}-h${k}`);
    for (const r of dependent) {
      if (out.has(r) || !failing.has(r)) continue;
      out.set(r, { afterPaths: suffix, finding: `state survived reset: ${who} passes this case in a fresh process and fails it after serving ${k} earlier case(s) in the same process; the replay runs them first (--after-path), --fresh-process turns reuse off` });
    }
    if (dependent.every((r) => out.has(r))) break;
  }
  for (const r of dependent.filter((x) => !out.has(x))) {
    out.set(r, { afterPaths: known, finding: `${who} passes this case in a fresh process and failed it after serving ${known.length} earlier case(s) in one process, but did not fail again after them (flaky?); the replay runs them first (--after-path)` });
  }
  await impl.close();
  return out;
}
