/**
 * A keep-alive HTTP load generator, run as its own process so it does not share the event loop
 * of the server it measures. Loopback only: it refuses any other host.
 *
 *   tsx bench/load-generator.ts <url> <headers-json> <concurrency> <durationMs>
 *
 * Prints one JSON line: { requests, errors, elapsedMs, rps }.
 */
import { Agent, request } from 'node:http';

const [url = '', headersJson = '{}', concurrencyArg = '32', durationArg = '3000'] = process.argv.slice(2);
const target = new URL(url);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) {
  process.stderr.write(`refusing non-loopback target ${target.hostname}\n`);
  process.exit(2);
}
const headers = JSON.parse(headersJson) as Record<string, string>;
const concurrency = Number(concurrencyArg);
const durationMs = Number(durationArg);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
let requests = 0;
let errors = 0;
const started = performance.now();
const deadline = started + durationMs;

function one(): Promise<void> {
  return new Promise((resolve) => {
    const req = request(target, { agent, headers, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) requests += 1;
        else errors += 1;
        resolve();
      });
    });
    req.on('error', () => {
      errors += 1;
      resolve();
    });
    req.end();
  });
}

async function worker(): Promise<void> {
  while (performance.now() < deadline) await one();
}

await Promise.all(Array.from({ length: concurrency }, worker));
const elapsedMs = performance.now() - started;
agent.destroy();
process.stdout.write(`${JSON.stringify({ requests, errors, elapsedMs, rps: (requests / elapsedMs) * 1000 })}\n`);
