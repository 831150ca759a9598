/**
 * Driver protocol v1: the messages exchanged, one JSON object per line, between the harness and a
 * driver process over the driver's stdin (requests) and stdout (responses). The normative text is
 * docs/driver-protocol.md and the JSON Schemas in schemas/driver/v1/. The shape follows Bowtie's
 * IHOP (start / run / stop with an echoed `seq`), adapted to the Implementation contract in
 * src/harness/implementation.ts.
 */
import type { Capabilities, CaseSetup } from '../implementation.js';

export const DRIVER_PROTOCOL_VERSION = 1 as const;

export const DRIVER_COMMANDS = ['start', 'configure', 'invoke', 'introspect', 'reset', 'stop'] as const;
export type DriverCommand = (typeof DRIVER_COMMANDS)[number];

export type DriverRequest =
  | { readonly cmd: 'start'; readonly seq: number; readonly version: typeof DRIVER_PROTOCOL_VERSION }
  | { readonly cmd: 'configure'; readonly seq: number; readonly setup: CaseSetup }
  | { readonly cmd: 'invoke'; readonly seq: number; readonly callsite: string }
  | { readonly cmd: 'introspect'; readonly seq: number; readonly what: string }
  /** Optional: only for drivers whose start response declares `capabilities.reset: true`. */
  | { readonly cmd: 'reset'; readonly seq: number }
  | { readonly cmd: 'stop'; readonly seq: number };

export interface DriverImplementationInfo {
  readonly name: string;
  readonly version: string;
  readonly language: string;
  readonly homepage?: string;
}

/** What a driver declares it can do: the Implementation capabilities plus optional protocol features. */
export interface DriverCapabilities extends Capabilities {
  /** The driver answers `reset` and is then as good as a freshly started process (absent: false). */
  readonly reset?: boolean;
}

/** What a driver answers to `start`. */
export interface StartResponse {
  readonly seq: number;
  readonly version: typeof DRIVER_PROTOCOL_VERSION;
  readonly implementation: DriverImplementationInfo;
  readonly capabilities: DriverCapabilities;
}

/** A caught failure: the driver could not carry out the request but is still healthy. */
export interface ErrorResponse {
  readonly seq: number;
  readonly error: { readonly message: string; readonly code?: string };
}

/** The outcome of one invoke as the protocol carries it (a superset of `Outcome`). */
export type WireOutcome =
  | { readonly kind: 'sent'; readonly status: number; readonly body?: unknown }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'errored'; readonly message: string }
  | { readonly kind: 'skipped'; readonly reason: string; readonly link?: string };

/** Schema `$id` of each message, both ways. */
export function requestSchemaId(cmd: DriverCommand): string {
  return `urn:codex-auth-conformance:driver:v1:${cmd}.request`;
}

export function responseSchemaId(cmd: DriverCommand): string {
  return `urn:codex-auth-conformance:driver:v1:${cmd}.response`;
}

export function isErrorResponse(message: Record<string, unknown>): boolean {
  return typeof message['error'] === 'object' && message['error'] !== null;
}
