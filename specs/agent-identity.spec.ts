import { beforeAll, describe } from 'vitest';
import type { RunReport } from '../src/harness/results.js';
import { rulesOfArea, runArea } from './support/area-run.js';

describe('AGENT: agent identity assertions and task registration', () => {
  let report: RunReport;
  beforeAll(async () => {
    report = await runArea('AGENT');
  });
  rulesOfArea('AGENT', () => report);
});
