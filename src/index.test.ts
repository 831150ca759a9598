import { describe, expect, it } from 'vitest';
import * as api from './index.js';

describe('public barrel', () => {
  it('runs a conformance run from the public API alone', async () => {
    const mock = await api.inProcessMockControl(3);
    try {
      const report = await api.runConformance({ implementation: api.referenceImplementation(), mock, suites: api.ALL_SUITES, rulePrefixes: ['HDR.BEARER'], seed: 3, runs: 40 });
      expect(report.footer.ok).toBe(true);
      expect(report.cases.map((c) => c.ruleId).sort()).toEqual(['HDR.BEARER.001', 'HDR.BEARER.002']);
      expect(api.reporterFor('junit')(report)).toContain('<testsuites');
    } finally {
      await mock.close();
    }
  });
});
