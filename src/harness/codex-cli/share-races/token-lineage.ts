import { fingerprint } from '../../../redact/fingerprint.js';

/**
 * Refresh-token lineage as one race run sees it: each login is a family (`A`, `B`), each
 * redemption mints the next generation (`A0` -> `A1` -> ...). Tokens are named by that label
 * and their keyed fingerprint only; the raw values stay in this object, in the namespaced
 * process. Every redemption (a token request the mock answered, or a rotation the harness made
 * as "another process") is recorded with the label it presented and what it got.
 */
export interface ChatgptTokenSet {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly accountId: string;
}

export interface Redemption {
  /** Order of arrival at the token endpoint (1-based; `arrive()` at the start of the request). */
  readonly n: number;
  /** Milliseconds since the run started. */
  readonly atMs: number;
  /** Who presented the token: an actor of the scenario (`exec1`, `appServer`, `other`). */
  readonly actor: string;
  /** Label of the presented refresh token (`A0`), or `unknown` for a token the run never issued. */
  readonly presented: string;
  readonly presentedFp: string;
  readonly status: number;
  /** Milliseconds since the run started when the answer was ready (absent for the harness's own redemptions). */
  readonly answeredAtMs?: number;
  /** The error code of a refusal (`refresh_token_reused`, ...). */
  readonly code?: string;
  /** Label of the generation this redemption minted. */
  readonly minted?: string;
}

interface Known {
  readonly label: string;
  readonly family: string;
  readonly generation: number;
}

export class TokenLineage {
  readonly #byToken = new Map<string, Known>();
  readonly #byFingerprint = new Map<string, string>();
  readonly #redemptions: Redemption[] = [];
  #arrivals = 0;
  readonly #started: number;
  readonly #now: () => number;

  constructor(now: () => number = () => Date.now()) {
    this.#now = now;
    this.#started = now();
  }

  /** A new login: generation 0 of `family`. */
  login(family: string, tokens: ChatgptTokenSet): string {
    if (!/^[A-Z]$/.test(family)) throw new TypeError(`TokenLineage.login: family must be one capital letter, got ${JSON.stringify(family)}`);
    for (const k of this.#byToken.values()) if (k.family === family) throw new TypeError(`TokenLineage.login: family ${family} already logged in`);
    return this.#register(tokens, family, 0);
  }

  /** Tokens minted by redeeming `presentedRefreshToken`: the next generation of its family. */
  minted(presentedRefreshToken: string, tokens: ChatgptTokenSet): string {
    const parent = this.#byToken.get(presentedRefreshToken);
    if (parent === undefined) throw new TypeError('TokenLineage.minted: the presented refresh token is not in this lineage');
    return this.#register(tokens, parent.family, parent.generation + 1);
  }

  #register(tokens: ChatgptTokenSet, family: string, generation: number): string {
    const label = `${family}${generation}`;
    for (const t of [tokens.accessToken, tokens.refreshToken, tokens.idToken]) {
      this.#byToken.set(t, { label, family, generation });
      this.#byFingerprint.set(fingerprint(t), label);
    }
    return label;
  }

  /** The label of a raw token, or `unknown`. */
  labelOf(token: string): string {
    return this.#byToken.get(token)?.label ?? 'unknown';
  }

  /** The label of a fingerprinted token (journal credentials, auth.json snapshots), or `unknown`. */
  labelOfFingerprint(fp: string | undefined): string | undefined {
    if (fp === undefined) return undefined;
    return this.#byFingerprint.get(fp) ?? 'unknown';
  }

  /** Takes the next arrival number and time, before the endpoint answers (answers may finish out of order). */
  arrive(): { readonly n: number; readonly atMs: number } {
    this.#arrivals += 1;
    return { n: this.#arrivals, atMs: this.elapsedMs() };
  }

  record(r: { readonly actor: string; readonly presented: string; readonly status: number; readonly code?: string; readonly minted?: string; readonly arrival?: { readonly n: number; readonly atMs: number } }): Redemption {
    const arrival = r.arrival ?? this.arrive();
    const entry: Redemption = {
      n: arrival.n,
      atMs: arrival.atMs,
      ...(r.arrival === undefined ? {} : { answeredAtMs: this.elapsedMs() }),
      actor: r.actor,
      presented: this.labelOf(r.presented),
      presentedFp: fingerprint(r.presented),
      status: r.status,
      ...(r.code === undefined ? {} : { code: r.code }),
      ...(r.minted === undefined ? {} : { minted: r.minted }),
    };
    this.#redemptions.push(entry);
    return entry;
  }

  /** Every label issued so far (`A0`, `A1`, `B0`, ...), in order. */
  labels(): string[] {
    return [...new Set([...this.#byToken.values()].map((k) => k.label))];
  }

  /** Redemptions in order of arrival. */
  redemptions(): readonly Redemption[] {
    return [...this.#redemptions].sort((a, b) => a.n - b.n);
  }

  /** Epoch ms the run started (journal times are compared with it). */
  get startedAt(): number {
    return this.#started;
  }

  /** Milliseconds since the run started. */
  elapsedMs(): number {
    return Math.round(this.#now() - this.#started);
  }
}
