import { beforeAll, describe } from 'vitest';
import type { RunReport } from '../src/harness/results.js';
import { rulesOfArea, runArea } from './support/area-run.js';

describe('GATE: Codex-backend gating', () => {
  let report: RunReport;
  beforeAll(async () => {
    report = await runArea('GATE');
  });
  rulesOfArea('GATE', () => report);
});
