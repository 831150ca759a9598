import { fingerprint } from '../../redact/fingerprint.js';
import { assertNever } from '../../assert-never.js';
import type { DriverFailure } from './driver-error.js';
import { formatIssues, validateResponse } from './driver-schemas.js';
import { DRIVER_PROTOCOL_VERSIONS, type DriverCommand, type DriverProtocolVersion } from './protocol.js';

/**
 * Reading one driver response line: a JSON object, the request's seq echoed, a protocol version
 * the harness speaks (for `start`), the schema (with `validate`) and the minimal shape the adapter
 * needs to turn it into data. A line that breaks any of these is a `broken` reading with the
 * failure, the problem and the fix; the caller kills the process and throws it (driver-link.ts).
 */
export type ResponseReading =
  | { readonly kind: 'ok'; readonly message: Record<string, unknown> }
  | { readonly kind: 'broken'; readonly failure: ResponseFailure; readonly problem: string; readonly fix: string };

/** The ways a response line can break the protocol. */
export type ResponseFailure = Extract<DriverFailure, 'invalidJson' | 'wrongSeq' | 'malformed' | 'schema' | 'versionMismatch'>;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the response to `cmd` (sent with `seq`). `sessionVersion` is the version the driver chose
 * at `start` (1 before any); the `start` response itself is read under the version it names.
 */
export function readDriverResponse(line: string, cmd: DriverCommand, seq: number, sessionVersion: DriverProtocolVersion, validate: boolean): ResponseReading {
  const broken = (failure: ResponseFailure, problem: string, fix: string): ResponseReading => ({ kind: 'broken', failure, problem, fix });
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return broken(
      'invalidJson',
      `Driver answered ${cmd} (seq ${seq}) with a line that is not JSON (${line.length} chars, ${fingerprint(line)}).`,
      'write exactly one JSON object per line on stdout; send logs to stderr',
    );
  }
  if (!isRecord(parsed)) {
    return broken('malformed', `Driver answered ${cmd} (seq ${seq}) with JSON that is not an object.`, 'answer with a JSON object');
  }
  if (parsed['seq'] !== seq) {
    return broken('wrongSeq', `Driver answered ${cmd} with seq ${JSON.stringify(parsed['seq'])}; expected ${seq}.`, 'echo the seq of the request unchanged in its response');
  }
  if (cmd === 'start' && !isRecord(parsed['error']) && !(DRIVER_PROTOCOL_VERSIONS as readonly unknown[]).includes(parsed['version'])) {
    return broken(
      'versionMismatch',
      `Driver speaks protocol version ${JSON.stringify(parsed['version'])}; this harness speaks versions ${DRIVER_PROTOCOL_VERSIONS.join(' and ')}.`,
      `answer start with "version": 1 (or 2, when the request's accepts lists it)`,
    );
  }
  const version: DriverProtocolVersion = cmd === 'start' ? (parsed['version'] === 2 ? 2 : 1) : sessionVersion;
  if (validate) {
    const issues = validateResponse(cmd, parsed, version);
    if (issues.length > 0) {
      return broken('schema', `Driver's ${cmd} response violates schemas/driver/v${version}/${cmd}.response.json: ${formatIssues(issues)}.`, 'make the response match the schema');
    }
  }
  if (isRecord(parsed['error'])) {
    if (typeof parsed['error']['message'] !== 'string') {
      return broken('malformed', `Driver's ${cmd} error response has no string error.message.`, 'answer {"seq": n, "error": {"message": "..."}}');
    }
    return { kind: 'ok', message: parsed };
  }
  const problem = minimalShapeProblem(cmd, parsed);
  if (problem !== undefined) {
    return broken('malformed', `Driver's ${cmd} response is malformed: ${problem}.`, `make the response match schemas/driver/v1/${cmd}.response.json`);
  }
  return { kind: 'ok', message: parsed };
}

/** The checks the adapter needs even without `validate`, to turn a response into data. */
function minimalShapeProblem(cmd: DriverCommand, message: Record<string, unknown>): string | undefined {
  switch (cmd) {
    case 'start': {
      const impl = message['implementation'];
      if (!isRecord(impl) || typeof impl['name'] !== 'string' || typeof impl['version'] !== 'string') {
        return 'implementation {name, version, language} is missing';
      }
      const caps = message['capabilities'];
      if (!isRecord(caps) || !['authModes', 'callsites', 'introspect'].every((k) => Array.isArray(caps[k]))) {
        return 'capabilities {authModes, callsites, introspect} must hold three arrays';
      }
      return undefined;
    }
    case 'configure':
    case 'reset':
    case 'stop':
      return message['ok'] === true ? undefined : 'expected "ok": true';
    case 'invoke': {
      const outcome = message['outcome'];
      if (!isRecord(outcome)) return 'expected an outcome object';
      switch (outcome['kind']) {
        case 'sent':
          return Number.isInteger(outcome['status']) ? undefined : 'a sent outcome needs an integer status';
        case 'refused':
        case 'skipped':
          return typeof outcome['reason'] === 'string' ? undefined : `a ${String(outcome['kind'])} outcome needs a string reason`;
        case 'errored':
          return typeof outcome['message'] === 'string' ? undefined : 'an errored outcome needs a string message';
        default:
          return `unknown outcome kind ${JSON.stringify(outcome['kind'])}`;
      }
    }
    case 'introspect':
      return Object.hasOwn(message, 'value') ? undefined : 'expected a value';
    default:
      return assertNever(cmd, 'driver command');
  }
}
