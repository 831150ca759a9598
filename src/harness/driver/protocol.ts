/**
 * Driver protocol v1: the messages exchanged, one JSON object per line, between the harness and a
 * driver process over the driver's stdin (requests) and stdout (responses). The normative text is
 * docs/driver-protocol.md and the JSON Schemas in schemas/driver/v1/. The shape follows Bowtie's
 * IHOP (start / run / stop with an echoed `seq`), adapted to the Implementation contract in
 * src/harness/implementation.ts.
 */
import type { Capabilities, CaseSetup } from '../implementation.js';

export const DRIVER_PROTOCOL_VERSION = 1 as const;
/** Every version this harness speaks; it offers them at `start` (`accepts`) and the driver picks one. */
export const DRIVER_PROTOCOL_VERSIONS = [1, 2] as const;
export type DriverProtocolVersion = (typeof DRIVER_PROTOCOL_VERSIONS)[number];

export const DRIVER_COMMANDS = ['start', 'configure', 'invoke', 'introspect', 'reset', 'stop'] as const;
export type DriverCommand = (typeof DRIVER_COMMANDS)[number];

export type DriverRequest =
  | { readonly cmd: 'start'; readonly seq: number; readonly version: typeof DRIVER_PROTOCOL_VERSION; readonly accepts?: readonly DriverProtocolVersion[] }
  /** `instance` (version 2, `capabilities.instances`): one of several client instances in the process. */
  | { readonly cmd: 'configure'; readonly seq: number; readonly setup: CaseSetup; readonly instance?: string }
  | { readonly cmd: 'invoke'; readonly seq: number; readonly callsite: string; readonly instance?: string }
  | { readonly cmd: 'introspect'; readonly seq: number; readonly what: string; readonly instance?: string }
  /** Optional: only for drivers whose start response declares `capabilities.reset: true`. */
  | { readonly cmd: 'reset'; readonly seq: number; readonly instance?: string }
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
  /** Version 2: configure/invoke/introspect/reset take an `instance`; instances share only the disk. */
  readonly instances?: boolean;
  /** Version 2: several invokes may be in flight at once; each is answered with its seq when done. */
  readonly concurrentInvokes?: boolean;
}

/** What a driver answers to `start`. */
export interface StartResponse {
  readonly seq: number;
  readonly version: DriverProtocolVersion;
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
export function requestSchemaId(cmd: DriverCommand, version: DriverProtocolVersion = 1): string {
  return `urn:codex-auth-conformance:driver:v${version}:${cmd}.request`;
}

export function responseSchemaId(cmd: DriverCommand, version: DriverProtocolVersion = 1): string {
  return `urn:codex-auth-conformance:driver:v${version}:${cmd}.response`;
}

export function isErrorResponse(message: Record<string, unknown>): boolean {
  return typeof message['error'] === 'object' && message['error'] !== null;
}
