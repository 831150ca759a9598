import type { WriterNote } from './crash-table.js';

/**
 * What the source says about each writer's commit, printed with its crash-safety row. A broken
 * file after a kill of a writer whose source rewrites in place is a finding by design, not a
 * harness failure.
 */
export const WRITER_FINDINGS: Readonly<Record<string, WriterNote>> = {};
