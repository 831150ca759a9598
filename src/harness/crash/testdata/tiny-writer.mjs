/**
 * A tiny auth.json writer for the crash-safety self-check: `inPlace` truncates and rewrites the
 * file in 64-byte writes (like a non-atomic writer); `atomic` writes a temp file beside it, fsyncs
 * and renames it over auth.json. Usage: tiny-writer.mjs inPlace|atomic <path/to/auth.json>
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

const [mode, path] = process.argv.slice(2);
const data = JSON.parse(readFileSync(path, 'utf8'));
data.tokens = { ...data.tokens, access_token: `${data.tokens.access_token}-rotated`, refresh_token: `${data.tokens.refresh_token}-rotated` };
data.last_refresh = new Date(0).toISOString();
const text = `${JSON.stringify(data, null, 2)}\n`;
const writeAll = (fd) => {
  for (let i = 0; i < text.length; i += 64) writeSync(fd, text.slice(i, i + 64));
};
if (mode === 'inPlace') {
  const fd = openSync(path, 'w', 0o600);
  writeAll(fd);
  closeSync(fd);
} else if (mode === 'atomic') {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  writeAll(fd);
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
} else {
  process.stderr.write(`tiny-writer: unknown mode ${mode}\n`);
  process.exit(2);
}
