// Follows the protocol but writes a lot to stderr on every request (stderr must be captured,
// bounded and never parsed; JSON-looking text there must not confuse the harness).
import { serve } from './base.mjs';
serve((request) => {
  process.stderr.write(`{"seq": ${request.seq}, "note": "this is a log line, not a response"}\n`);
  process.stderr.write(`${'x'.repeat(10_000)}\n`);
  return false;
});
