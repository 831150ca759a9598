import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from './commands/index.js';
import { main } from './main.js';
import { tempDir } from '../testing/temp-dirs.js';

/**
 * Property: whatever the arguments, the CLI answers with exit 0, 1 or 2 and never a stack trace;
 * an exit 2 says what is wrong and how to fix it. Commands stop at their `validated` checkpoint
 * (CommandIo.checkpoint), so no run, process, socket or report file is ever started: the test is
 * bounded in time and never touches the network.
 */
let dir: string;
let files: Record<string, string>;

beforeAll(async () => {
  dir = await tempDir('cac-fuzz-');
  files = {
    garbage: join(dir, 'garbage.txt'),
    json: join(dir, 'object.json'),
    pem: join(dir, 'not-a-key.pem'),
    results: join(dir, 'results.ndjson'),
  };
  await writeFile(files.garbage!, 'not json \u0000 at all\n{');
  await writeFile(files.json!, '{"knownFailures": [], "log": {"entries": [1]}}');
  await writeFile(files.pem!, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
  await writeFile(files.results!, '{"type":"header","formatVersion":2,"tool":{"name":"codex-auth-conformance","version":"0"},"implementation":{"name":"x","version":"1"},"seed":1,"runs":1,"rulesSelected":["HDR.AUTH.001"],"startedAt":"t"}\n{"type":"case","ruleId":"HDR.AUTH.001","caseId":"c","verdict":"pass","message":"m","durationMs":0}\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const FLAGS = [
  '--impl', '--rules', '--seed', '--runs', '--path', '--replay-path', '--shard', '--reporter', '--output', '--expect', '--validate', '--allow-network',
  '--json', '--area', '--list', '--codex-home', '--chatgpt-base-url', '--openai-base-url', '--jwks', '--task-id', '--host-tokens', '--apps-enabled', '--show-secrets',
  '--mode', '--plan', '--fedramp', '--base-url', '--port', '--host', '--journal', '--tls-cert', '--tls-key', '--timeout-ms', '--', '-h', '--help', '--colour',
] as const;

function value(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      'reference', 'mutant:account-id-dropped', 'mutant:nope', 'driver:', 'driver:python3 "unterminated', 'codex-cli:x.y', 'codex-cli:0.171.0',
      'HDR', 'HDR.AGENT.002', 'NOPE.X.001', ',', '', ' ', '7', '0', '-5', '-1', '4294967296', '99999999999999999999', '1e3', '0x10', 'NaN',
      '1:0:2', 'x:y', '1::2', 'Ad:C', '!!:??', '1/2', '0/2', '3/2', '2/0', 'pretty', 'json', 'junit=out.xml', 'markdown=', 'tap=/nope/dir/x.tap', 'bogus', 'json=',
      '/nope/dir/x', '/', '.', '..', 'apiKey', 'chatgpt', 'agentIdentity', 'enterprise', 'HDR,GATE', 'cloud-tasks.list', 'nope.callsite',
      'http://127.0.0.1:9/backend-api/', 'https://example.com/backend-api/', 'ftp://x', 'not a url', 'example.invalid', '::1', '127.0.0.1', '65536', '443',
    ),
    fc.constantFrom('garbage', 'json', 'pem', 'results').map((k) => files[k]!),
    fc.string({ maxLength: 12 }),
    fc.integer({ min: -1000, max: 100_000 }).map(String),
  );
}

function argvArb(): fc.Arbitrary<string[]> {
  const token = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...FLAGS) }, { weight: 3, arbitrary: value() }, { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...FLAGS), value()).map(([f, v]) => `${f}=${v}`) });
  const command = fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...COMMANDS.map((c) => c.name)) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) });
  return fc.tuple(command, fc.array(token, { maxLength: 8 })).map(([c, rest]) => [c, ...rest]);
}

const STACK = /^\s+at .+(\(|:\d+:\d+)/m;

describe('CLI property: random arguments', () => {
  it('exit code in {0,1,2}, no stack trace, and every exit 2 says what and how to fix it', async () => {
    const started = Date.now();
    const reached: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(argvArb(), async (argv) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await main(argv, {
          out: (l) => out.push(l),
          err: (l) => err.push(l),
          env: {},
          cwd: dir,
          checkpoint: () => 'stop',
        });
        reached[code] = (reached[code] ?? 0) + 1;
        const text = [...out, ...err].join('\n');
        expect([0, 1, 2], `${JSON.stringify(argv)} exited ${code}: ${text.slice(0, 400)}`).toContain(code);
        expect(text, `${JSON.stringify(argv)} printed a stack trace`).not.toMatch(STACK);
        expect(text).not.toMatch(/internal error/);
        if (code === 2 && argv[0] !== undefined && argv[0] !== 'help') {
          expect(err.join('\n'), `${JSON.stringify(argv)}: exit 2 without a typed error`).toMatch(/^error \[[A-Z_]+\]: .+ Fix: .+/m);
        }
      }),
      { numRuns: 400, seed: 20261128, endOnFailure: true },
    );
    // The generator reaches past validation too (exit 0 at the checkpoint), not only usage errors.
    expect(reached[0] ?? 0).toBeGreaterThan(20);
    expect(reached[2] ?? 0).toBeGreaterThan(100);
    // Bounded: the property never starts real work.
    expect(Date.now() - started).toBeLessThan(120_000);
  }, 180_000);
});
