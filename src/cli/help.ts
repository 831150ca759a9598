/**
 * `<command> --help`: each flag with its default, the exit codes and an example, per command.
 * `src/cli/help.test.ts` checks that every flag of a command's usage line is explained here.
 */
import type { Command } from './command.js';

export interface FlagHelp {
  /** As in the usage line, e.g. `--seed N`. */
  readonly flag: string;
  /** The default, or `none` / `off` when absent means "not used". */
  readonly default: string;
  readonly what: string;
}

export interface CommandHelp {
  readonly flags: readonly FlagHelp[];
  /** Exit codes beyond the common 2 (bad input) and 3 (internal error). */
  readonly exits: readonly (readonly [code: number, meaning: string])[];
  readonly example: string;
}

const REPORTERS = 'pretty, json, junit, markdown, tap, github, html';
const reporterFlags: readonly FlagHelp[] = [
  { flag: '--reporter NAME[=FILE]', default: 'pretty to stdout', what: `a report format (${REPORTERS}), to FILE or stdout; repeatable, at most one to stdout. Regular files are replaced whole; a symlink is followed; a FIFO or device (/dev/stdout) is written through` },
  { flag: '--output FILE', default: 'none', what: 'the file of the one --reporter given without =FILE (older form)' },
];
const allowNetwork: FlagHelp = { flag: '--allow-network', default: 'off', what: 'let foreign code or requests reach beyond loopback (no namespace); refused by default' };
const profileFlag: FlagHelp = { flag: '--profile P', default: 'codex-0.171 (the newest)', what: 'the contract profile judged: pr18811 or codex-0.171' };

export const HELP: Readonly<Record<string, CommandHelp>> = {
  run: {
    flags: [
      { flag: '--impl IMPL', default: 'reference', what: 'reference, mutant:<name>, driver:<command>, codex-cli[:<version>] or ecosystem[:<client>,...]' },
      { ...profileFlag, default: 'codex-0.171, or the profile of --impl codex-cli:<version>' },
      { flag: '--rules PREFIX,...', default: 'every rule of the profile (codex-cli: the rules the black box can exercise)', what: 'rule ids or prefixes (HDR, HDR.AGENT, GATE.APIKEY.001)' },
      { flag: '--seed N', default: 'random (printed)', what: 'the fast-check seed; pass the printed one to repeat a run' },
      { flag: '--runs N', default: '100', what: 'generated cases per property, on top of the hand-picked examples' },
      { flag: '--path P', default: 'none', what: 'replay one shrunk counterexample (from a printed replay command)' },
      { flag: '--replay-path R', default: 'none', what: "fast-check's command log of a model-based failure (with --path)" },
      { flag: '--after-path P1,P2,...', default: 'none', what: 'run these cases first, on the same driver process, then --path: a failure that needed what a reused process served before (printed in its replay)' },
      { flag: '--shard K/N', default: 'none', what: 'run the K-th of N shares of the cases (same --seed on every shard; merge with report)' },
      ...reporterFlags,
      { flag: '--expect FILE|DIR', default: 'none', what: 'known failures and unsupported rules of this implementation; the run is OK when it behaves exactly as recorded; a known failure pinned to its evidence (case, request, field) does not cover a failure of the same rule with other evidence' },
      { flag: '--update-expectations FILE', default: 'none', what: 'write an expectation file from this run (every distinct failure pinned to its evidence, reasons and pins already in FILE kept), to review and commit' },
      { flag: '--validate', default: 'off', what: 'validate every driver message against schemas/driver/v1/' },
      { flag: '--fresh-process', default: 'off (a driver declaring reset serves many cases per process)', what: 'give every case a new driver process (no state can survive between cases)' },
      allowNetwork,
      { flag: '--results-dir DIR', default: 'none', what: '--impl ecosystem: one results stream per client' },
      { flag: '--scenarios S,...', default: 'all', what: '--impl ecosystem: the client scenarios to run' },
      { flag: '--timeout-ms N', default: '30000', what: '--impl ecosystem: per-scenario timeout' },
    ],
    exits: [[0, 'every selected rule ran and passed (or failed as the expectation file says)'], [1, 'a rule failed, errored, was skipped or not reached']],
    example: 'npx codex-auth-conformance run --impl "driver:python3 examples/drivers/python/codex_auth_driver.py" --runs 10 --expect expectations/python-driver.json --reporter github',
  },
  repro: {
    flags: [{ flag: '--impl IMPL', default: 'the one the file names', what: 'replay against another implementation' }, ...reporterFlags, { flag: '--against affected|fixed', default: 'affected', what: 'a bug file (scenarios/bugs/<id>.json): run its affected implementation (exit 1 when it reproduces) or its fixed one (exit 0 when the fix holds)' }, { flag: '--corpus DIR', default: 'none', what: 'run every bug file of DIR on its affected and fixed implementations; exit 0 only when every entry reproduced and every known fix held' }, { flag: '--table FILE', default: 'none', what: 'with --corpus: write the Markdown table (bug, link, affected, fixed, rule, reproduced)' }, allowNetwork],
    exits: [[0, 'the replayed rule passed (a bug file: the fix holds; --corpus: every entry as recorded)'], [1, 'it failed (the bug reproduces), or a corpus entry did not reproduce']],
    example: 'npx codex-auth-conformance repro scenarios/regressions/<file>.json --impl reference',
  },
  report: {
    flags: [...reporterFlags, { flag: '--expect FILE', default: 'none', what: 'apply an expectation file to the saved results' }],
    exits: [[0, 'every run in the streams is OK'], [1, 'a run is not OK (failures, skips, missing shards)']],
    example: 'npx codex-auth-conformance report shard-1.ndjson shard-2.ndjson --reporter junit=junit.xml --reporter markdown=summary.md',
  },
  rules: {
    flags: [{ ...profileFlag, default: 'every profile' }, { flag: '--withdrawn', default: 'off', what: 'list withdrawn ids with their reason' }, { flag: '--json', default: 'off', what: 'JSON with each rule\'s pinned sources' }, { flag: '--area AREA', default: 'all', what: 'HDR, GATE, CACHE, URL, AGENT or REFRESH' }],
    exits: [[0, 'listed']],
    example: 'npx codex-auth-conformance rules --profile codex-0.171 --area URL',
  },
  diff: {
    flags: [{ flag: '--json', default: 'off', what: 'the changes as JSON' }, { flag: '--wire', default: 'off', what: 'compare two wire records (matrix --out-dir writes codex-cli-<v>.wire.ndjson) request by request: new or missing requests, changed headers as token classes, paths' }],
    exits: [[0, 'no rule changed verdict'], [1, 'some rule changed verdict']],
    example: 'npx codex-auth-conformance diff before.ndjson after.ndjson',
  },
  matrix: {
    flags: [{ flag: '--releases V1,V2,...', default: 'required unless --diff', what: 'published @openai/codex versions, installed on demand into the cache' }, { flag: '--diff A..B', default: 'none', what: 'run two releases and print the request-level wire diff after the matrix (bisect on the wire)' }, { flag: '--rules ID|PREFIX,...', default: 'every rule the black-box cases reach', what: 'only these rules (ids or prefixes, e.g. SHARE); the releases then play only the scenarios that judge them' }, { ...profileFlag, default: 'per release: the profile whose range holds it' }, { flag: '--out-dir DIR', default: 'none (stdout only)', what: 'write the matrix (Markdown, JSON) and one results stream per release' }, { flag: '--reporter NAME=FILE', default: 'none (the Markdown matrix on stdout)', what: `also render the releases' results in a format (${REPORTERS}) to FILE; repeatable` }, allowNetwork],
    exits: [[0, 'every release behaved as recorded'], [1, 'a release failed a rule']],
    example: 'npx codex-auth-conformance matrix --releases 0.125.0,0.171.0 --out-dir out/',
  },
  smoke: {
    flags: [{ flag: '--timeout-ms N', default: '10000', what: 'longest wait for each driver response' }, allowNetwork],
    exits: [[0, 'the driver answers start and stop as the schemas say'], [2, 'the driver is missing, crashes, or answers garbage (as in run)']],
    example: 'npx codex-auth-conformance smoke -- python3 examples/drivers/python/codex_auth_driver.py',
  },
  check: {
    flags: [
      profileFlag,
      { flag: '--chatgpt-base-url URL', default: 'unknown (URL.BASE.001 and URL.APPS.001 not judged)', what: "the client's configured chatgpt_base_url: judges the base, the Apps URL and the Apps trust gate" },
      { flag: '--openai-base-url URL', default: 'unknown (model traffic may go to either constant model base)', what: "the client's configured openai_base_url (URL.MODEL.001)" },
      { flag: '--json', default: 'off', what: 'the report as JSON, with the rules not judged and why' },
    ],
    exits: [[0, 'every rule the recording can show held'], [1, 'a violation']],
    example: 'npx codex-auth-conformance check capture.har --chatgpt-base-url https://chatgpt.com/backend-api/',
  },
  request: {
    flags: [
      { flag: '--codex-home DIR', default: 'required (unless --list)', what: 'the CODEX_HOME whose auth.json and config.toml are read' },
      { flag: '--chatgpt-base-url URL', default: 'config.toml, else https://chatgpt.com/backend-api/', what: 'the ChatGPT base' },
      { flag: '--openai-base-url URL', default: 'config.toml, else none', what: 'the OpenAI base for model traffic' },
      { flag: '--jwks FILE', default: 'fetched from the base', what: 'the agent identity JWKS' },
      { flag: '--task-id ID', default: 'registered', what: 'an agent task id to use instead of registering' },
      { flag: '--host-tokens FILE', default: 'none', what: 'host-provided ChatGPT tokens (chatgptAuthTokens)' },
      { flag: '--apps-enabled', default: 'off', what: 'config apps_enabled' },
      allowNetwork,
      { flag: '--show-secrets', default: 'off (fingerprints)', what: 'print credentials in clear' },
      { flag: '--json', default: 'off', what: 'the request as JSON' },
      { flag: '--list', default: 'off', what: 'list the callsites' },
    ],
    exits: [[0, 'the request (or the refusal) was shown']],
    example: 'npx codex-auth-conformance request cloud-tasks.list --codex-home ./codex-home',
  },
  serve: {
    flags: [
      { flag: '--port N', default: '0 (any free port, printed)', what: 'the port' },
      { flag: '--host H', default: '127.0.0.1', what: 'the address to listen on' },
      { flag: '--journal FILE', default: 'none', what: 'write the redacted journal on exit' },
      { flag: '--pid-file FILE', default: 'none', what: 'write the process id once listening' },
      { flag: '--seed N', default: '1', what: 'seed of the mock\'s generated data' },
      { flag: '--tls-cert FILE', default: 'none (http)', what: 'serve HTTPS with this certificate (with --tls-key)' },
      { flag: '--tls-key FILE', default: 'none', what: 'the certificate\'s key' },
      { flag: '--ui', default: 'off', what: 'also serve a read-only live view of the requests and their verdicts on its own 127.0.0.1 port, printed as `ui` in the first JSON line (secrets as fingerprints)' },
      { ...profileFlag, what: 'the contract profile whose rules the live view judges each request by (only with --ui)' },
    ],
    exits: [[0, 'stopped by SIGINT or SIGTERM']],
    example: 'npx codex-auth-conformance serve --port 4010 --journal journal.ndjson --pid-file serve.pid',
  },
  fixture: {
    flags: [
      { flag: '--mode MODE', default: 'required', what: 'apiKey, chatgpt, chatgptAuthTokens or agentIdentity' },
      { flag: '--fedramp', default: 'off', what: 'a FedRAMP account' },
      { flag: '--plan P', default: 'the mock\'s default', what: 'the ChatGPT plan' },
      { flag: '--codex-home DIR', default: 'required', what: 'where auth.json and config.toml are written' },
      { flag: '--base-url URL', default: 'required', what: 'the running serve\'s /backend-api/ base' },
      allowNetwork,
      { flag: '--show-secrets', default: 'off (fingerprints)', what: 'print credentials in clear' },
      { flag: '--json', default: 'off', what: 'what was written, as JSON' },
    ],
    exits: [[0, 'written']],
    example: 'npx codex-auth-conformance fixture --mode chatgpt --plan team --codex-home ./codex-home --base-url http://127.0.0.1:4010/backend-api/',
  },
};

/** The `--help` text of a command. */
export function commandHelp(command: Command): string {
  const help = HELP[command.name];
  const lines = [`usage: ${command.usage}`, '', command.summary];
  if (help !== undefined) {
    const width = Math.max(...help.flags.map((f) => f.flag.length));
    lines.push('', 'options:');
    for (const f of help.flags) lines.push(`  ${f.flag.padEnd(width)}  ${f.what} (default: ${f.default})`);
    lines.push('', 'exit codes:');
    const common = [[2, 'bad input or usage: what is wrong and a Fix: line'] as const, [3, 'a bug in the tool (an unexpected failure; set CODEX_AUTH_CONFORMANCE_DEBUG=1 for the stack)'] as const].filter(([code]) => !help.exits.some(([c]) => c === code));
    for (const [code, meaning] of [...help.exits, ...common]) lines.push(`  ${code}  ${meaning}`);
    lines.push('', 'example:', `  ${help.example}`);
  }
  return lines.join('\n');
}
