import { createHash } from 'node:crypto';
import type { ObservedRequest } from '../../../rules/observed-request.js';
import type { Outcome } from '../../implementation.js';
import type { Scenario } from './scenario-view.js';

/**
 * What the ecosystem judge reads of one client × scenario run: the case's journal, what the
 * package returned, what it says it left in auth.json (`introspect authJson`) or handed back to
 * its caller, DNS names it tried, files it wrote outside CODEX_HOME, and whether it crashed or
 * hung. Raw tokens stay in memory (`seeded`); reports fingerprint them.
 */
export interface AuthJsonIntrospection {
  readonly present: boolean;
  readonly disposition: 'absent' | 'created' | 'deleted' | 'unchanged' | 'replaced' | 'rewrittenInPlace';
  readonly mode?: string;
  readonly parses?: boolean;
  readonly keys?: readonly string[];
  readonly authMode?: string | null;
  readonly accountId?: string | null;
  readonly lastRefresh?: string | null;
  readonly digests?: { readonly accessToken: string | null; readonly refreshToken: string | null; readonly idToken: string | null };
}

export type SafetyEvent =
  | { readonly kind: 'crashed'; readonly detail: string }
  | { readonly kind: 'hung'; readonly detail: string }
  | { readonly kind: 'nonLoopbackAttempt'; readonly detail: string }
  | { readonly kind: 'wroteOutsideCodexHome'; readonly detail: string }
  | { readonly kind: 'driverFailed'; readonly detail: string };

export interface ScenarioRecording {
  readonly clientId: string;
  readonly clientVersion: string;
  readonly scenario: Scenario;
  readonly caseId: string;
  readonly seeded: {
    readonly accountId: string;
    readonly fedramp: boolean;
    readonly accessToken: string;
    readonly refreshToken: string;
    readonly idToken: string;
    readonly lastRefresh: string;
  };
  readonly config: { readonly chatgptBaseUrl?: string };
  readonly entries: readonly ObservedRequest[];
  readonly outcome: Outcome;
  readonly authJson: AuthJsonIntrospection | undefined;
  /** Caller-custody clients: whether the package handed refreshed credentials back (digests only). */
  readonly callerStore?: { readonly handedBack: boolean; readonly digests?: { readonly accessToken: string | null; readonly refreshToken: string | null } };
  readonly dnsNames: readonly string[];
  readonly outsideWrites: readonly string[];
  /** Names of the files in CODEX_HOME after the run (stray temp files beside auth.json show here). */
  readonly codexHomeFiles: readonly string[];
  readonly safety: readonly SafetyEvent[];
  /** The model text the client got back, when it reported one. */
  readonly text?: string;
  readonly durationMs: number;
}

export const sha256Hex = (s: string): string => createHash('sha256').update(s).digest('hex');
