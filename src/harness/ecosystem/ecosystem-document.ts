import type { RunReport } from '../results.js';
import type { ExpectationFile } from '../expectation-file.js';
import type { CoexistenceExpectation } from '../judges/coexistence/coexistence-expectations.js';
import type { CrashRow } from '../judges/coexistence/crash-safety-table.js';
import type { EcosystemRun } from './ecosystem-run.js';

/** What the ecosystem table is rendered from (ecosystem-report.ts, coexistence-rows.ts): the run, each client's results stream and what was recorded beside it. */
export interface EcosystemDocument {
  readonly run: EcosystemRun;
  readonly reports: readonly RunReport[];
  readonly expectations: ReadonlyMap<string, ExpectationFile>;
  readonly profile: string;
  /** docs/crash-safety.md's measured writers (the "survives a kill mid-write" row). */
  readonly crash?: readonly CrashRow[];
  /** Each client's recorded coexistence verdicts (its expectation file's `coexistence`). */
  readonly coexistence?: ReadonlyMap<string, readonly CoexistenceExpectation[]>;
}
