import type { WriterNote } from './crash-table.js';

/**
 * What the source says about each writer's commit, printed with its crash-safety row. A broken
 * file after a kill of a writer whose source rewrites in place is a finding by design, not a
 * harness failure (issue 18: "The in-place rewrite through 0.156 is by design there").
 */
const IN_PLACE =
  'finding, by design: `FileAuthStorage::save` opens auth.json with truncate(true) and writes it in place, no temp file, no rename (openai/codex `codex-rs/login/src/auth/storage.rs:111` at 5882f3f9, `:202` at 343074d4)';

export const WRITER_FINDINGS: Readonly<Record<string, WriterNote>> = {
  'codex-cli:0.156.0': { finding: IN_PLACE },
  'codex-cli:0.171.0': { finding: 'never observable half-written: lock files, a temp file (O_EXCL, random name), fsync, rename over auth.json (0.171.0 binary literals "atomic credential replacement ..."; source of 0.171.0 not read)' },
  'tiny-writer inPlace': { finding: 'self-check: must break (in-place 64-byte writes)' },
  'tiny-writer atomic': { finding: 'self-check: must never break (temp file, fsync, rename)' },
};
