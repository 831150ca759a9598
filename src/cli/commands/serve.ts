/**
 * `serve [--port N] [--host H] [--journal FILE] [--seed N]`: the mock Codex backend on a real
 * port (mocks/http-bridge.ts `startHttpMock`). Prints one JSON line when listening (the base URLs
 * a client is configured with, and the control URL), then one JSON line per request as it is
 * judged (method, path, status, reason, credential kind: never a credential), and on SIGINT /
 * SIGTERM closes the port and flushes the journal (NDJSON, secrets fingerprinted by
 * mocks/journal.ts `redactEntry`) to --journal FILE.
 *
 * With --ui it also serves a read-only live view of the requests and their verdicts on its own
 * 127.0.0.1 port (src/cli/serve-ui/), printed as `ui` in the first JSON line.
 *
 * Binds 127.0.0.1 unless --host names another host; then it warns, because the control plane
 * (`/__control/...`) hands out raw credentials to whoever can reach it.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { access, constants, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import { startHttpMock, type HttpMock } from '../../../mocks/http-bridge.js';
import { redactEntry } from '../../../mocks/journal.js';
import { ConformanceInputError } from '../../errors.js';
import type { ObservedRequest } from '../../rules/observed-request.js';
import { stopAfterValidation, type Command, type CommandIo } from '../command.js';
import { intFlag, parseCommandArgs } from '../parse-args.js';
import { isLoopbackHost } from '../../net/network-policy.js';
import { DEFAULT_PROFILE, profileById, type ProfileId } from '../../rules/profiles.js';
import { startLiveUi, type LiveUi } from '../serve-ui/live-ui-server.js';

const usage = 'codex-auth-conformance serve [--port N] [--host H] [--journal FILE] [--pid-file FILE] [--seed N] [--tls-cert FILE --tls-key FILE] [--ui [--profile pr18811|codex-0.171]]';

export interface ServeOptions {
  readonly port?: number;
  readonly host?: string;
  /** Absolute path of the NDJSON journal to write (truncated at start, mode 0600). */
  readonly journal?: string;
  /** Written with this process's id once listening, removed on exit (for `kill "$(cat FILE)"`). */
  readonly pidFile?: string;
  readonly seed?: number;
  /** Serve HTTPS with this PEM certificate and key (e.g. a per-run CA's leaf for production host names). */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Serve the live view (src/cli/serve-ui/) on its own 127.0.0.1 port; its rule verdicts follow `profile`. */
  readonly ui?: boolean;
  readonly profile?: ProfileId;
}

export interface ServeStarted {
  readonly event: 'listening';
  readonly origin: string;
  /** `chatgpt_base_url` for clients (the `/backend-api` style). */
  readonly chatgptBaseUrl: string;
  /** The same backend in the `/api/codex` path style. */
  readonly chatgptCodexApiBaseUrl: string;
  /** `openai_base_url` for API-key clients. */
  readonly openaiBaseUrl: string;
  /** The OAuth token URL (CODEX_REFRESH_TOKEN_URL_OVERRIDE). */
  readonly refreshTokenUrl: string;
  readonly controlUrl: string;
  readonly journal: string | null;
  readonly seed: number;
  /** The live view's URL (`--ui`): always on 127.0.0.1, whatever `--host` says. */
  readonly ui?: string;
}

/** One line per request: what was asked and how the mock judged it. Never a credential. */
export interface ServedRequestLine {
  readonly event: 'request';
  readonly seq: number;
  readonly time: string;
  readonly caseId?: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly handled: boolean;
  readonly reason?: string;
  readonly endpoint?: string;
  readonly credential: string;
}

export interface ServeHandle {
  readonly mock: HttpMock;
  readonly started: ServeStarted;
  /** Closes the port, then flushes and closes the journal file; idempotent. */
  close(): Promise<{ readonly requests: number }>;
}

export { isLoopbackHost } from '../../net/network-policy.js';

export function requestLine(e: ObservedRequest): ServedRequestLine {
  let path = '?';
  try {
    path = new URL(e.url).pathname; // no query: it may carry tokens
  } catch {
    // keep '?'
  }
  const c = e.credential;
  const credential =
    c.kind === 'bearer' && c.issued !== undefined ? `bearer:${c.issued.tokenKind}` : c.kind === 'malformed' ? `malformed:${c.reason}` : c.kind;
  return {
    event: 'request',
    seq: e.seq,
    time: e.time,
    ...(e.caseId !== undefined && { caseId: e.caseId }),
    method: e.method,
    path,
    status: e.verdict.status,
    handled: e.verdict.handled,
    ...(e.verdict.reason !== undefined && { reason: e.verdict.reason }),
    ...(e.verdict.endpoint !== undefined && { endpoint: e.verdict.endpoint }),
    credential,
  };
}

/** Starts the mock and wires the per-request lines and the journal file. */
export async function startServe(opts: ServeOptions, io: CommandIo): Promise<ServeHandle> {
  const host = opts.host ?? '127.0.0.1';
  // Certificate problems are bad input: checked before the port opens.
  const tls = opts.tls === undefined ? undefined : await readTls(opts.tls);
  if (!isLoopbackHost(host)) {
    io.err(
      `warning: serving on ${host}, not loopback: anyone who can reach it can read the journal and mint credentials through ${'/__control'}. Use it only on a network you control.`,
    );
  }
  const journalFile = opts.journal === undefined ? undefined : await openJournal(opts.journal);
  let mock: HttpMock;
  try {
    mock = await startHttpMock({
      host,
      ...(opts.port !== undefined && { port: opts.port }),
      ...(opts.seed !== undefined && { seed: opts.seed }),
      ...(tls !== undefined && { tls }),
    });
  } catch (e) {
    journalFile?.destroy();
    throw e;
  }
  let ui: LiveUi | undefined;
  if (opts.ui === true) {
    try {
      ui = await startLiveUi({ mockOrigin: mock.origin, profile: opts.profile ?? DEFAULT_PROFILE });
    } catch (e) {
      await mock.close();
      journalFile?.destroy();
      throw e;
    }
  }
  let requests = 0;
  // The bridge records every request (handled, rejected or unparsable) through this one journal:
  // wrapping the instance's record() sees each one as soon as its verdict is known.
  const journal = mock.journal;
  const record = journal.record.bind(journal);
  journal.record = (draft) => {
    const entry = record(draft);
    requests += 1;
    io.out(JSON.stringify(requestLine(entry)));
    journalFile?.write(`${JSON.stringify(redactEntry(entry))}\n`);
    ui?.publish(entry);
    return entry;
  };
  const started: ServeStarted = {
    event: 'listening',
    origin: mock.origin,
    chatgptBaseUrl: `${mock.baseUrls.chatgpt}/`,
    chatgptCodexApiBaseUrl: mock.baseUrls.chatgptCodexApi,
    openaiBaseUrl: mock.baseUrls.openai,
    refreshTokenUrl: mock.baseUrls.refreshTokenUrl,
    controlUrl: `${mock.origin}/__control`,
    journal: opts.journal ?? null,
    seed: opts.seed ?? 1,
    ...(ui !== undefined && { ui: ui.url }),
  };
  io.out(JSON.stringify(started));
  let closing: Promise<{ requests: number }> | undefined;
  return {
    mock,
    started,
    close: () => {
      closing ??= (async () => {
        await ui?.close();
        await mock.close();
        if (journalFile !== undefined) await endStream(journalFile);
        return { requests };
      })();
      return closing;
    },
  };
}

async function checkWritableFile(path: string, flag: string): Promise<void> {
  const dir = dirname(path);
  const ok = await stat(dir).then((st) => st.isDirectory(), () => false) && (await access(dir, constants.W_OK).then(() => true, () => false));
  if (!ok) throw new ConformanceInputError('USAGE', `cannot write ${flag} ${path}: ${dir} is not a writable directory.`, `pass ${flag} a path in an existing, writable directory.`);
}

async function readTls(paths: { readonly cert: string; readonly key: string }): Promise<{ cert: Buffer; key: Buffer }> {
  const read = async (what: string, path: string): Promise<Buffer> => {
    try {
      return await readFile(path);
    } catch (e) {
      throw new ConformanceInputError('USAGE', `cannot read the TLS ${what} ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`, `pass --tls-${what} a readable PEM file.`, { cause: e });
    }
  };
  const cert = await read('cert', paths.cert);
  const key = await read('key', paths.key);
  try {
    createSecureContext({ cert, key });
  } catch (e) {
    // Never echo the files: the key is a secret.
    throw new ConformanceInputError('USAGE', `--tls-cert ${paths.cert} and --tls-key ${paths.key} are not a PEM certificate and its private key (${(e as Error).message.replace(/^error:[0-9A-F]+:/, '').slice(0, 120)}).`, 'pass a PEM certificate (-----BEGIN CERTIFICATE-----) and the matching PEM private key, e.g. made by scripts/real-cli/by-hand.sh.', { cause: e });
  }
  return { cert, key };
}

async function openJournal(path: string): Promise<WriteStream> {
  const stream = createWriteStream(path, { flags: 'w', mode: 0o600 });
  await new Promise<void>((resolveOpen, reject) => {
    stream.once('open', () => resolveOpen());
    stream.once('error', (e: NodeJS.ErrnoException) =>
      reject(new ConformanceInputError('USAGE', `cannot write the journal ${path} (${e.code ?? 'error'}).`, 'pass --journal a path in a writable directory.', { cause: e })),
    );
  });
  return stream;
}

function endStream(stream: WriteStream): Promise<void> {
  return new Promise((resolveEnd, reject) => {
    stream.end((e?: Error | null) => (e ? reject(e) : resolveEnd()));
  });
}

/** Runs until `stop` aborts, then closes and reports; the command wires it to SIGINT/SIGTERM. */
export async function serveUntil(opts: ServeOptions, io: CommandIo, stop: AbortSignal): Promise<number> {
  if (opts.pidFile !== undefined) await checkWritableFile(opts.pidFile, '--pid-file');
  const handle = await startServe(opts, io);
  if (opts.pidFile !== undefined) await writeFile(opts.pidFile, `${process.pid}\n`);
  if (!stop.aborted) await new Promise<void>((done) => stop.addEventListener('abort', () => done(), { once: true }));
  const { requests } = await handle.close();
  if (opts.pidFile !== undefined) await rm(opts.pidFile, { force: true });
  io.out(JSON.stringify({ event: 'closed', requests, journal: opts.journal ?? null }));
  return 0;
}

export function parseServeArgs(argv: readonly string[], cwd: string): ServeOptions {
  const { values } = parseCommandArgs(
    argv,
    { port: { type: 'string' }, host: { type: 'string' }, journal: { type: 'string' }, 'pid-file': { type: 'string' }, seed: { type: 'string' }, 'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, ui: { type: 'boolean' }, profile: { type: 'string' } },
    usage,
  );
  const port = intFlag('port', values.port, usage);
  if (port !== undefined && port > 65_535) {
    throw new ConformanceInputError('USAGE', `--port must be at most 65535, got ${port}.`, 'pass a free port, or 0 for any free port.');
  }
  const seed = intFlag('seed', values.seed, usage);
  if (values.host !== undefined && !/^[A-Za-z0-9.:-]+$/.test(values.host)) {
    throw new ConformanceInputError('USAGE', `--host ${JSON.stringify(values.host.slice(0, 80))} is not a host name or address.`, 'pass e.g. 127.0.0.1 (the default) or ::1.');
  }
  const cert = values['tls-cert'];
  const key = values['tls-key'];
  if ((cert === undefined) !== (key === undefined)) {
    throw new ConformanceInputError('USAGE', '--tls-cert and --tls-key go together.', 'pass both PEM files, or neither for plain http.');
  }
  if (values.profile !== undefined && values.ui !== true) {
    throw new ConformanceInputError('USAGE', '--profile applies to the live view (--ui) only: the mock answers like production under every profile.', 'add --ui, or drop --profile.');
  }
  const profile = values.profile === undefined ? undefined : profileById(values.profile).id;
  return {
    ...(values.ui === true && { ui: true }),
    ...(profile !== undefined && { profile }),
    ...(cert !== undefined && key !== undefined && { tls: { cert: resolve(cwd, cert), key: resolve(cwd, key) } }),
    ...(port !== undefined && { port }),
    ...(values.host !== undefined && { host: values.host }),
    ...(values.journal !== undefined && { journal: resolve(cwd, values.journal) }),
    ...(values['pid-file'] !== undefined && { pidFile: resolve(cwd, values['pid-file']) }),
    ...(seed !== undefined && { seed }),
  };
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the mock Codex backend on a loopback port; one JSON line per request; journal on exit.',
  usage,
  async run(argv, io) {
    const opts = parseServeArgs(argv, io.cwd);
    if (opts.tls !== undefined) await readTls(opts.tls);
    if (opts.pidFile !== undefined) await checkWritableFile(opts.pidFile, '--pid-file');
    if (opts.journal !== undefined) await checkWritableFile(opts.journal, '--journal');
    if (stopAfterValidation(io)) return 0;
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      return await serveUntil(opts, io, stop.signal);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
