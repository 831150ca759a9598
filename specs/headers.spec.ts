import { beforeAll, describe } from 'vitest';
import type { RunReport } from '../src/harness/results.js';
import { rulesOfArea, runArea } from './support/area-run.js';

describe('HDR: header set per auth mode and callsite', () => {
  let report: RunReport;
  beforeAll(async () => {
    report = await runArea('HDR');
  });
  rulesOfArea('HDR', () => report);
});
