import type { CoexistenceRecording } from './coexistence-recording.js';
import type { CoexistenceVerdict } from './judge-coexistence.js';

/** One played coexistence scenario and its verdicts (what reports render). */
export interface CoexistenceResult {
  readonly recording: CoexistenceRecording;
  readonly verdicts: readonly CoexistenceVerdict[];
}
