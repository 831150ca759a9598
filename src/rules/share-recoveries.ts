/**
 * A client's 401 recoveries, read from the wire, for the SHARE rules (check-share.ts): which token
 * requests of a step are the second step of a recovery begun before auth.json changed (by design
 * in the source), and which 401s of the step begin a recovery of their own.
 */
import type { ObservedRequest } from './observed-request.js';

/** What the step's 401s tell about the client's 401 recoveries, read from the wire. */
export interface Recoveries {
  /** Token requests the source makes by design: see `recoveriesOf`. */
  readonly byDesign: ReadonlySet<number>;
  /** The 401s inside the step that begin a recovery (its Reload step runs after the step began). */
  readonly starts: readonly ObservedRequest[];
}

/**
 * `UnauthorizedRecovery` reloads auth.json on a request's first 401 and, on its second, calls
 * `refresh_token_from_authority()`, which redeems the cached refresh token with no new reload
 * (codex-rs/login/src/auth/manager.rs@5882f3f9 line 1016, @343074d4 line 1819;
 * codex-rs/core/src/auth.rs@rust-v0.105.0 line 934). So when another process rotates the tokens
 * between a request's two 401s, the redemption of the replaced generation is what the source
 * intends, not a missing reload. From the wire: the 401s to one token on one path pair up in order
 * (first and second step of one recovery). A pair whose first 401 was answered before the step
 * began (before the write) explains one token request of the step that presents that token's
 * generation after the pair's second 401: those are `byDesign`. The first 401 of a pair inside the
 * step begins a recovery whose Reload step sees the file as it is now: those are `starts`.
 */
export function recoveriesOf(journal: readonly ObservedRequest[], step: { readonly fromSeq: number; readonly toSeq: number }, tokenRequests: readonly ObservedRequest[]): Recoveries {
  const byKey = new Map<string, ObservedRequest[]>();
  for (const e of journal) {
    const l = e.credential.kind === 'bearer' ? e.credential.issued?.lineage : undefined;
    if (l === undefined || e.verdict.status !== 401 || e.seq > step.toSeq) continue;
    const key = `${pathOf(e)} ${l.family}#${l.generation}`;
    byKey.set(key, [...(byKey.get(key) ?? []), e]);
  }
  const pending: { readonly token: string; readonly after: number }[] = [];
  const starts: ObservedRequest[] = [];
  for (const [key, refusals] of byKey) {
    for (let i = 0; i < refusals.length; i += 2) {
      const first = refusals[i]!;
      const second = refusals[i + 1];
      if (first.seq > step.fromSeq) starts.push(first);
      else if (second !== undefined) pending.push({ token: key.slice(key.indexOf(' ') + 1), after: second.seq });
    }
  }
  const byDesign = new Set<number>();
  for (const t of tokenRequests) {
    const i = pending.findIndex((p) => p.token === `${t.refresh!.family}#${t.refresh!.generation}` && p.after < t.seq);
    if (i < 0) continue;
    pending.splice(i, 1);
    byDesign.add(t.seq);
  }
  return { byDesign, starts: starts.sort((x, y) => x.seq - y.seq) };
}

function pathOf(e: ObservedRequest): string {
  try {
    return new URL(e.url).pathname;
  } catch {
    return e.url;
  }
}
