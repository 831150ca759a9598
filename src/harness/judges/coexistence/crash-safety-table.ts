import { readFile } from 'node:fs/promises';

/**
 * "Survives a kill mid-write" for the ecosystem table: the crash-safety measurement of each writer
 * of auth.json is made by scripts/crash-safety/run.ts and recorded in docs/crash-safety.md (its
 * table: writer, kill runs, broken, ...). This reads that table; a client without a row is "not
 * measured", never a pass.
 */
export interface CrashRow {
  readonly writer: string;
  readonly killRuns: number;
  readonly broken: number;
  /** The row's broken cell as written (e.g. `**1** (1 empty)`). */
  readonly brokenText: string;
}

export type CrashVerdict =
  | { readonly kind: 'measured'; readonly row: CrashRow }
  | { readonly kind: 'notMeasured'; readonly reason: string }
  | { readonly kind: 'notApplicable'; readonly reason: string };

const cells = (line: string): string[] => line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());

/** The rows of every table in `markdown` whose header has `writer`, `kill runs` and `broken` columns. */
export function parseCrashTable(markdown: string): CrashRow[] {
  const lines = markdown.split(/\r?\n/);
  const rows: CrashRow[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const head = lines[i]!;
    if (!head.trim().startsWith('|')) continue;
    const names = cells(head).map((c) => c.toLowerCase());
    const w = names.indexOf('writer');
    const k = names.indexOf('kill runs');
    const b = names.indexOf('broken');
    if (w < 0 || k < 0 || b < 0 || !/^\|[\s:|-]+\|?$/.test(lines[i + 1]?.trim() ?? '')) continue;
    for (let j = i + 2; j < lines.length && lines[j]!.trim().startsWith('|'); j += 1) {
      const c = cells(lines[j]!);
      const killRuns = Number((c[k] ?? '').replace(/\*/g, ''));
      const broken = Number(/\d+/.exec((c[b] ?? '').replace(/\*/g, ''))?.[0] ?? NaN);
      if (Number.isInteger(killRuns) && Number.isInteger(broken)) rows.push({ writer: (c[w] ?? '').replace(/`/g, ''), killRuns, broken, brokenText: c[b] ?? '' });
    }
  }
  return rows;
}

/** The row measuring `clientId` (a writer cell naming it, e.g. `ecosystem:codex-as-api` or `codex-as-api@0.7.0`). */
export function crashVerdict(rows: readonly CrashRow[], clientId: string, writesAuthJson: boolean): CrashVerdict {
  if (!writesAuthJson) return { kind: 'notApplicable', reason: 'never writes CODEX_HOME/auth.json (its caller keeps the tokens)' };
  const row = rows.find((r) => new RegExp(`(^|[\\s:])${clientId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[\\s@])`).test(r.writer));
  return row === undefined ? { kind: 'notMeasured', reason: 'docs/crash-safety.md has no row for it' } : { kind: 'measured', row };
}

export async function readCrashSafety(path: string): Promise<CrashRow[]> {
  try {
    return parseCrashTable(await readFile(path, 'utf8'));
  } catch {
    return [];
  }
}
