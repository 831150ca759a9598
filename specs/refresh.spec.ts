import { beforeAll, describe } from 'vitest';
import type { RunReport } from '../src/harness/results.js';
import { rulesOfArea, runArea } from './support/area-run.js';

describe('REFRESH: token refresh', () => {
  let report: RunReport;
  beforeAll(async () => {
    report = await runArea('REFRESH');
  });
  rulesOfArea('REFRESH', () => report);
});
