import type { WriterNote } from './crash-summary.js';

/**
 * What the source says about each writer's commit, printed with its crash-safety row. A broken
 * file after a kill of a writer whose source rewrites in place is a finding by design, not a
 * harness failure (issue 18: "The in-place rewrite through 0.156 is by design there").
 */
const IN_PLACE =
  'finding, by design: `FileAuthStorage::save` opens auth.json with truncate(true) and writes it in place, no temp file, no rename (openai/codex `codex-rs/login/src/auth/storage.rs:111` at 5882f3f9, `:202` at 343074d4)';

export const WRITER_FINDINGS: Readonly<Record<string, WriterNote>> = {
  'codex-cli:0.156.0': { finding: IN_PLACE, byDesign: true },
  'codex-cli:0.171.0': { finding: 'never observable half-written: lock files, a temp file (O_EXCL, random name), fsync, rename over auth.json (0.171.0 binary literals "atomic credential replacement ..."; source of 0.171.0 not read)' },
  'tiny-writer inPlace': { finding: 'self-check: must break (in-place 64-byte writes)', selfCheck: true },
  'tiny-writer atomic': { finding: 'self-check: must never break (temp file, fsync, rename)', selfCheck: true },
  // The clients' published code, read in the installed package (npm, exact version pinned in src/harness/ecosystem/clients.ts).
  'ecosystem:codex-as-api@0.7.0': {
    finding: 'never observable half-written: its `writeAuthJson` writes `.auth.json.tmp-<pid>-<uuid>` (mode 0600), fsyncs and closes it, renames it over auth.json and fsyncs the directory (codex-as-api@0.7.0 `dist/index.js:563-600`)',
  },
  'ecosystem:openai-oauth@2.0.0': {
    finding: 'its `writeAuthFile` is `fs.writeFile(auth.json, JSON, { mode: 0o600 })`: open with O_TRUNC, then write, in place; no temp file, no rename, and nothing in its README allows a half-written file (@openai-oauth/local@2.0.0 `dist/auth-file.js:132-137`, called by `loadAuthTokens` when it has refreshed, `:237`)',
  },
};
