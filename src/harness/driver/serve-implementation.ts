import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Implementation, Session } from '../implementation.js';
import { DRIVER_PROTOCOL_VERSION, type DriverImplementationInfo } from './protocol.js';

/**
 * The driver side of the driver protocol (version 1, and version 2 when the harness offers it:
 * several instances, one Session each, and concurrent invokes) for any in-process Implementation: reads requests from `input`
 * (one JSON object per line), answers on `output`. Used by examples/drivers/reference-driver.ts
 * to put the TypeScript reference behind the same protocol foreign implementations speak.
 * Failures thrown by the implementation become `error` responses (configure, introspect) or
 * `errored` outcomes (invoke); nothing here writes to `output` except responses.
 */
export interface ServeOptions {
  readonly input: Readable;
  readonly output: Writable;
  /** Where diagnostics go (never stdout); default: discard. */
  readonly log?: (line: string) => void;
  readonly language?: string;
  readonly homepage?: string;
  /**
   * Declare and answer `reset` (default true): the in-process session is stopped and a new one
   * started, which is what a new process would have (an Implementation's sessions share nothing).
   */
  readonly reset?: boolean;
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text === '' ? 'failed' : text;
}

/** Serves until `stop` or end of input; resolves when done. */
export async function serveImplementation(implementation: Implementation, options: ServeOptions): Promise<void> {
  const log = options.log ?? (() => undefined);
  const write = (message: unknown) =>
    new Promise<void>((resolve, reject) => options.output.write(`${JSON.stringify(message)}\n`, (e) => (e ? reject(e) : resolve())));
  // One Session per instance (version 2); the default instance is the version-1 session.
  const sessions = new Map<string, Session>();
  let version: 1 | 2 = 1;
  const DEFAULT = '';
  const sessionOf = async (request: Record<string, unknown>, create: boolean): Promise<Session> => {
    const name = typeof request['instance'] === 'string' && version === 2 ? request['instance'] : DEFAULT;
    if (request['instance'] !== undefined && version !== 2) throw new Error('instance is a version-2 field; start with accepts [1, 2] first');
    let s = sessions.get(name);
    if (s === undefined) {
      if (!create || !sessions.has(DEFAULT)) throw new Error(name === DEFAULT ? 'no session: start first' : `instance ${name} is not configured`);
      s = await implementation.start();
      sessions.set(name, s);
    }
    return s;
  };
  // Invokes run concurrently in version 2 (capabilities.concurrentInvokes); any other request waits for them.
  const inflight = new Set<Promise<void>>();
  const settle = async (): Promise<void> => {
    while (inflight.size > 0) await Promise.all([...inflight]);
  };
  const lines = createInterface({ input: options.input, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (line.trim() === '') continue;
      let request: Record<string, unknown>;
      try {
        const parsed: unknown = JSON.parse(line);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('not an object');
        request = parsed as Record<string, unknown>;
      } catch (error) {
        log(`ignoring a request line that is not a JSON object (${messageOf(error)})`);
        continue;
      }
      const seq = request['seq'];
      const fail = (error: unknown) => write({ seq, error: { message: messageOf(error) } });
      if (request['cmd'] === 'invoke') {
        const work = (async () => {
          let outcome;
          try {
            outcome = await (await sessionOf(request, false)).invoke(String(request['callsite']));
          } catch (error) {
            outcome = { kind: 'errored', message: messageOf(error) };
          }
          await write({ seq, outcome });
        })();
        if (version === 2) {
          inflight.add(work);
          void work.finally(() => inflight.delete(work));
        } else {
          await work;
        }
        continue;
      }
      await settle();
      switch (request['cmd']) {
        case 'start': {
          const accepts = Array.isArray(request['accepts']) ? request['accepts'] : [];
          if (request['version'] !== DRIVER_PROTOCOL_VERSION && request['version'] !== 2) {
            await fail(new Error(`protocol version ${JSON.stringify(request['version'])} is not supported; this driver speaks 1 and 2`));
            break;
          }
          version = request['version'] === 2 || accepts.includes(2) ? 2 : 1;
          try {
            if (!sessions.has(DEFAULT)) sessions.set(DEFAULT, await implementation.start());
          } catch (error) {
            await fail(error);
            break;
          }
          const info: DriverImplementationInfo = {
            name: implementation.name,
            version: implementation.version,
            language: options.language ?? 'typescript',
            ...(options.homepage !== undefined ? { homepage: options.homepage } : {}),
          };
          const { authModes, callsites, introspect, configKeys } = implementation.capabilities;
          const reset = options.reset !== false ? { reset: true } : {};
          const v2 = version === 2 ? { instances: true, concurrentInvokes: true } : {};
          await write({ seq, version, implementation: info, capabilities: { authModes, callsites, introspect, ...(configKeys === undefined || configKeys.length === 0 ? {} : { configKeys }), ...reset, ...v2 } });
          break;
        }
        case 'reset':
          try {
            if (options.reset === false) throw new Error('reset is not offered (capabilities.reset is absent)');
            if (!sessions.has(DEFAULT)) throw new Error('reset before start');
            for (const s of sessions.values()) await s.stop();
            sessions.clear();
            sessions.set(DEFAULT, await implementation.start());
            await write({ seq, ok: true });
          } catch (error) {
            await fail(error);
          }
          break;
        case 'configure':
          try {
            await (await sessionOf(request, true)).configure(request['setup'] as Parameters<Session['configure']>[0]);
            await write({ seq, ok: true });
          } catch (error) {
            await fail(error);
          }
          break;
        case 'introspect':
          try {
            const session = await sessionOf(request, false);
            if (session.introspect === undefined) throw new Error('introspection is not offered');
            const value = await session.introspect(String(request['what']));
            await write({ seq, value: value ?? null });
          } catch (error) {
            await fail(error);
          }
          break;
        case 'stop':
          for (const s of sessions.values()) {
            try {
              await s.stop();
            } catch (error) {
              log(`session.stop failed: ${messageOf(error)}`);
            }
          }
          await write({ seq, ok: true });
          return;
        default:
          await fail(new Error(`unknown cmd ${JSON.stringify(request['cmd'])}`));
      }
    }
  } finally {
    await settle().catch(() => undefined);
    lines.close();
  }
}
