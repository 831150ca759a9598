import { beforeAll, describe } from 'vitest';
import type { RunReport } from '../src/harness/results.js';
import { rulesOfArea, runArea } from './support/area-run.js';

describe('URL: base-URL selection', () => {
  let report: RunReport;
  beforeAll(async () => {
    report = await runArea('URL');
  });
  rulesOfArea('URL', () => report);
});
