import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Implementation, Session } from '../implementation.js';
import { DRIVER_PROTOCOL_VERSION, type DriverImplementationInfo } from './protocol.js';

/**
 * The driver side of protocol v1 for any in-process Implementation: reads requests from `input`
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
  let session: Session | undefined;
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
      switch (request['cmd']) {
        case 'start': {
          if (request['version'] !== DRIVER_PROTOCOL_VERSION) {
            await fail(new Error(`protocol version ${JSON.stringify(request['version'])} is not supported; this driver speaks ${DRIVER_PROTOCOL_VERSION}`));
            break;
          }
          try {
            session ??= await implementation.start();
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
          await write({ seq, version: DRIVER_PROTOCOL_VERSION, implementation: info, capabilities: { authModes, callsites, introspect, ...(configKeys === undefined || configKeys.length === 0 ? {} : { configKeys }), ...reset } });
          break;
        }
        case 'reset':
          try {
            if (options.reset === false) throw new Error('reset is not offered (capabilities.reset is absent)');
            if (session === undefined) throw new Error('reset before start');
            await session.stop();
            session = undefined;
            session = await implementation.start();
            await write({ seq, ok: true });
          } catch (error) {
            await fail(error);
          }
          break;
        case 'configure':
          try {
            if (session === undefined) throw new Error('configure before start');
            await session.configure(request['setup'] as Parameters<Session['configure']>[0]);
            await write({ seq, ok: true });
          } catch (error) {
            await fail(error);
          }
          break;
        case 'invoke': {
          if (session === undefined) {
            await fail(new Error('invoke before start'));
            break;
          }
          let outcome;
          try {
            outcome = await session.invoke(String(request['callsite']));
          } catch (error) {
            outcome = { kind: 'errored', message: messageOf(error) };
          }
          await write({ seq, outcome });
          break;
        }
        case 'introspect':
          try {
            if (session?.introspect === undefined) throw new Error('introspection is not offered');
            const value = await session.introspect(String(request['what']));
            await write({ seq, value: value ?? null });
          } catch (error) {
            await fail(error);
          }
          break;
        case 'stop':
          try {
            await session?.stop();
          } catch (error) {
            log(`session.stop failed: ${messageOf(error)}`);
          }
          await write({ seq, ok: true });
          return;
        default:
          await fail(new Error(`unknown cmd ${JSON.stringify(request['cmd'])}`));
      }
    }
  } finally {
    lines.close();
  }
}
