import { beforeAll, describe } from 'vitest';
import type { RunReport } from '../src/harness/results.js';
import { rulesOfArea, runArea } from './support/area-run.js';

describe('CACHE: Apps tools cache isolation', () => {
  let report: RunReport;
  beforeAll(async () => {
    report = await runArea('CACHE');
  });
  rulesOfArea('CACHE', () => report);
});
