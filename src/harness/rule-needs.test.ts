import { describe, expect, it } from 'vitest';
import { CALLSITE_IDS } from '../callsites/catalog.js';
import { RULES } from '../rules/catalogue.js';
import type { Implementation } from './implementation.js';
import { inProcessMockControl } from './in-process-mock-control.js';
import { referenceImplementation } from './reference-implementation.js';
import { RULE_SUBJECTS } from './rule-needs.js';
import { runConformance } from './runner.js';
import { ALL_SUITES } from './suites/index.js';

describe('unsupported reasons name the rule\'s own gap', () => {
  it('every subject key names catalogued rules and callsites', () => {
    for (const [key, subject] of Object.entries(RULE_SUBJECTS)) {
      expect(RULES.some((r) => r.id === key || (key.endsWith('.') && r.id.startsWith(key))), key).toBe(true);
      for (const c of subject.callsites ?? []) expect(CALLSITE_IDS, key).toContain(c);
    }
  });

  it('HDR.AGENT.001 and GATE.UPLOAD.001 on a driver declaring apiKey, chatgpt and three callsites: the missing mode and the missing callsite, not core.responses', async () => {
    const inner = referenceImplementation();
    const narrow: Implementation = { ...inner, name: 'narrow', version: '1', capabilities: { authModes: ['apiKey', 'chatgpt'], callsites: ['cloud-tasks.list', 'backend-client.rate-limits', 'chatgpt.get-task'], introspect: [] }, start: (o) => inner.start(o) };
    const mock = await inProcessMockControl(5);
    try {
      const report = await runConformance({ implementation: narrow, mock, suites: ALL_SUITES, rulePrefixes: ['HDR.AGENT.001', 'GATE.UPLOAD.001', 'HDR.APPS.002'], seed: 5, runs: 1, implArg: 'driver:narrow' });
      const reason = (id: string) => report.cases.find((c) => c.ruleId === id && c.verdict === 'unsupported')?.message;
      expect(reason('HDR.AGENT.001')).toBe('implementation does not support auth mode agentIdentity');
      expect(reason('GATE.UPLOAD.001')).toBe('implementation does not offer callsite openai-files.upload');
      expect(reason('HDR.APPS.002')).toBe('implementation does not offer callsite apps-mcp.tools-list');
    } finally {
      await mock.close();
    }
  });
});
