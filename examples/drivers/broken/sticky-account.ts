/**
 * A broken driver for the harness's own tests: the reference implementation behind driver
 * protocol v1 (with `reset`), except that the process remembers the first ChatGPT-Account-ID it
 * sent and sends it again for every later account, across `reset`, the way a client with a
 * module-level cache would. A fresh process sends the right header; a reused one fails
 * HDR.ACCOUNT.* after an account switch, so the failure depends on what the process served before.
 *   node --import tsx examples/drivers/broken/sticky-account.ts
 */
import { referenceImplementation } from '../../../src/harness/reference-implementation.js';
import { serveImplementation } from '../../../src/harness/driver/serve-implementation.js';

let sticky: string | undefined;
const realFetch = globalThis.fetch;
globalThis.fetch = (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
  const headers = new Headers(init?.headers);
  const account = headers.get('chatgpt-account-id');
  if (account !== null) {
    sticky ??= account;
    headers.set('chatgpt-account-id', sticky);
  }
  return realFetch(input, { ...init, headers });
};

await serveImplementation(referenceImplementation({}, 'sticky-account'), {
  input: process.stdin,
  output: process.stdout,
  log: (line) => process.stderr.write(`sticky-account: ${line}\n`),
});
process.exit(0);
