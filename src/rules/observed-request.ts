/**
 * What the mock backend saw of one request: the unit every check judges. Written to the journal
 * (NDJSON) with secret-bearing header values replaced by keyed fingerprints; in memory the raw
 * headers are kept so a checker can verify signatures.
 */
export type CredentialAttribution =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'bearer';
      /** What the mock knows the bearer to be, if it issued it. */
      readonly issued?: {
        readonly tokenKind: 'chatgptAccess' | 'apiKey' | 'hostAccess' | 'connectorsToken' | 'personalAccessToken';
        readonly accountId?: string;
        readonly chatgptUserId?: string;
        readonly isFedramp?: boolean;
        readonly expired: boolean;
        /** The login family and generation of an issued ChatGPT access token (mocks/state/lineage.ts). */
        readonly lineage?: TokenLineage;
      };
      readonly fingerprint: string;
    }
  | {
      readonly kind: 'agentAssertion';
      readonly agentRuntimeId?: string;
      readonly taskId?: string;
      readonly timestamp?: string;
      /** Account the runtime belongs to, per the identity the mock minted. */
      readonly accountId?: string;
      readonly isFedramp?: boolean;
      readonly signatureValid: boolean;
      readonly taskIssuedToRuntime: boolean;
    }
  | { readonly kind: 'malformed'; readonly reason: string };

/**
 * Where a ChatGPT token stands in its login's lineage. A family is one login (the fixture or a
 * login mints generation 0); each redemption of a refresh token mints the next generation of the
 * same family. Family ids are minted by the mock (`family-<n>`), never derived from a secret.
 */
export interface TokenLineage {
  readonly family: string;
  readonly generation: number;
  readonly accountId: string;
}

/**
 * What the token endpoint did with a presented refresh token:
 * - `rotated`: it was active; it is now spent and `minted` names the next generation;
 * - `reused`: it had already been spent (`spentBy` names the redemption that spent it);
 * - `revoked`: its family or the token was revoked (logout, or revocation on reuse);
 * - `expired`: it was past its lifetime.
 */
export const REFRESH_OUTCOMES = ['rotated', 'reused', 'revoked', 'expired'] as const;
export type RefreshOutcome = (typeof REFRESH_OUTCOMES)[number];

export interface RefreshLineage extends TokenLineage {
  /** Keyed fingerprint of the presented refresh token (`fp:...`). */
  readonly refreshFingerprint: string;
  readonly outcome: RefreshOutcome;
  readonly minted?: { readonly generation: number; readonly refreshFingerprint: string; readonly accessFingerprint: string };
  /** For `reused`: the generation the first redemption minted and that request's journal seq. */
  readonly spentBy?: { readonly generation: number; readonly seq?: number };
  /** True when this request made the mock revoke the whole family (fault `revokeFamilyOnReuse`). */
  readonly familyRevoked?: boolean;
}

/** One token pair the mock issued, by fingerprint (for mapping an auth.json onto its lineage). */
export interface IssuedLineage extends TokenLineage {
  readonly refreshFingerprint: string;
  readonly accessFingerprint: string;
}

export interface MockVerdict {
  readonly status: number;
  /** Why the mock rejected the request, e.g. `token_expired`, `account_mismatch`. */
  readonly reason?: string;
  /** False when no handler matched: an unhandled request is an error. */
  readonly handled: boolean;
  /** Logical endpoint name the handler serves, e.g. `wham.tasks.list`, `oauth.token`. */
  readonly endpoint?: string;
}

export interface ObservedRequest {
  readonly seq: number;
  /** ISO 8601 receive time. */
  readonly time: string;
  readonly caseId?: string;
  readonly method: string;
  /** Absolute URL as received (per-case prefix, if any, already removed). */
  readonly url: string;
  /** Lower-case header names; a header sent on several lines shows its values joined with `, ` (Fetch semantics). */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Header names that arrived on more than one line, with their line count, where the adapter saw
   * the lines (the node:http adapter keeps `rawHeaders`; Fetch joins them before any handler runs,
   * so in process a repeated header shows only as a joined value). HDR.UNIQUE.001 reads both.
   */
  readonly headerLines?: Readonly<Record<string, number>>;
  /** `sha256:<hex>` of the body, absent for an empty body. */
  readonly bodyDigest?: string;
  readonly credential: CredentialAttribution;
  /** Token-endpoint requests: the presented refresh token's lineage and what the mock did with it. */
  readonly refresh?: RefreshLineage;
  readonly verdict: MockVerdict;
}

/** Where a request stands in the journal, for messages: `#seq METHOD url`. */
export function where(e: ObservedRequest): string {
  return `#${e.seq} ${e.method} ${e.url}`;
}
