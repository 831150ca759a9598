import type { ReferenceParts } from '../../src/harness/reference-implementation.js';

/**
 * A deliberately buggy variant of the reference client: one part swapped for a realistic bug.
 * The conformance suites must catch it by the rule named in `breaks` (specs/mutants.spec.ts).
 */
export interface Mutant {
  /** Kebab-case; selected with `--impl mutant:<name>`. */
  readonly name: string;
  /** What the bug is, as a developer would describe it in a review. */
  readonly description: string;
  /** The rule id that must fail when the suites run against this mutant. */
  readonly breaks: string;
  /** Where the real bug (or the behaviour it violates) is documented. */
  readonly source: string;
  readonly parts: Partial<ReferenceParts>;
}

/** Declares a mutant (identity function that keeps the literal types checked). */
export function defineMutant(mutant: Mutant): Mutant {
  return Object.freeze(mutant);
}
