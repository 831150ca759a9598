import type { IssuedLineage } from '../../src/rules/observed-request.js';

/**
 * Refresh-token lineage: each login is a family (generation 0 minted by the fixture or a login),
 * each redemption of a refresh token mints the next generation of the same family. The journal
 * records family and generation of every ChatGPT token the mock sees (src/rules/observed-request.ts
 * `TokenLineage`, `RefreshLineage`), so the SHARE rules read "redeemed a spent token" or "wrote an
 * older generation back" as facts. Family ids are a per-backend counter: never secret.
 */
export interface Family {
  readonly id: string;
  readonly accountId: string;
  /** Newest generation minted so far. */
  latest: number;
  /** Revoked as a whole (fault `revokeFamilyOnReuse`, OAuth 2.0 Security BCP §4.14.2). */
  revoked: boolean;
}

export class LineageRegistry {
  readonly #families = new Map<string, Family>();
  readonly #issued: IssuedLineage[] = [];
  #next = 1;

  /** A new login of the account: generation 0 comes next. */
  newFamily(accountId: string): Family {
    const family: Family = { id: `family-${this.#next++}`, accountId, latest: -1, revoked: false };
    this.#families.set(family.id, family);
    return family;
  }

  family(id: string): Family | undefined {
    return this.#families.get(id);
  }

  /** Records a minted pair (by fingerprint) and advances the family's newest generation. */
  record(pair: IssuedLineage): void {
    const family = this.#families.get(pair.family);
    if (family !== undefined && pair.generation > family.latest) family.latest = pair.generation;
    this.#issued.push(pair);
  }

  /** Every pair minted since the last reset, oldest first. */
  issued(): readonly IssuedLineage[] {
    return [...this.#issued];
  }

  clear(): void {
    this.#families.clear();
    this.#issued.length = 0;
    this.#next = 1;
  }
}
