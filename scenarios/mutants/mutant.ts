import type { ReferenceParts } from '../../src/harness/reference-implementation.js';
import type { ProfileId } from '../../src/rules/profiles.js';

/**
 * A deliberately buggy variant of the reference client: one part swapped for a realistic bug.
 * The conformance suites must catch it by the rule named in `breaks` (specs/mutants.spec.ts).
 */
export interface Mutant {
  /** Kebab-case; selected with `--impl mutant:<name>`. */
  readonly name: string;
  /** What the bug is, as a developer would describe it in a review. */
  readonly description: string;
  /**
   * Per contract profile the mutant applies to, the rule id that must fail when the suites run
   * against it under that profile (a bug that is intended behaviour in a profile is absent there).
   */
  readonly breaks: Readonly<Partial<Record<ProfileId, string>>>;
  /** Where the real bug (or the behaviour it violates) is documented. */
  readonly source: string;
  readonly parts: Partial<ReferenceParts>;
}

/** Declares a mutant (identity function that keeps the literal types checked). */
export function defineMutant(mutant: Mutant): Mutant {
  return Object.freeze(mutant);
}

/** The (profile, rule) pairs a mutant must be caught by. */
export function mutantTargets(mutant: Mutant): { readonly profile: ProfileId; readonly rule: string }[] {
  return Object.entries(mutant.breaks).map(([profile, rule]) => ({ profile: profile as ProfileId, rule: rule as string }));
}
