import type { PhaseObservation, RaceObservation } from './race-observation.js';

/** One Markdown table per scenario: a row per release × run × phase (redacted: labels only). */
export function renderRaceTables(observations: readonly RaceObservation[]): string {
  return JSON.stringify(observations.map((o) => ({ s: o.scenario, r: o.release, n: o.run, p: o.phases.map((p: PhaseObservation) => p.phase) })));
}
