import fc from 'fast-check';
import { authSpec } from '../../../scenarios/arbitraries/auth-spec.js';
import { baseUrlVariant, chatgptBaseUrlFor, type BaseUrlVariant } from '../../../scenarios/arbitraries/base-url.js';
import { CALLSITE_IDS } from '../../callsites/catalog.js';
import { checkJournal, checkObserved } from '../../rules/check.js';
import { expectRequest } from '../../rules/expectations.js';
import { skip, unsupported, type RuleResult } from '../../rules/result.js';
import { describeAuthSpec, seedAuth, type AuthSpec } from '../auth-spec.js';
import { freshHome, missingCapability, withSession } from '../case-session.js';
import { runProperty } from '../property.js';
import type { Suite, SuiteContext } from '../suite.js';

/** One request case: an auth state, one callsite, a spelling of the base URL, the apps flag. */
export interface RequestCase {
  readonly auth: AuthSpec;
  readonly callsiteId: string;
  readonly base: BaseUrlVariant;
  readonly appsEnabled: boolean;
}

const RULES = [
  'HDR.BEARER.001', 'HDR.BEARER.002', 'HDR.ACCOUNT.001', 'HDR.ACCOUNT.002', 'HDR.FEDRAMP.001', 'HDR.FEDRAMP.002',
  'HDR.AGENT.001', 'HDR.AGENT.002', 'HDR.AUTH.001', 'HDR.APPS.001',
  'GATE.APIKEY.001', 'GATE.UPLOAD.001', 'GATE.APPS.001', 'GATE.AGENT.001',
  'URL.NORM.001', 'URL.STYLE.001', 'URL.PATH.001', 'URL.BASE.001', 'URL.BASE.002', 'URL.AGENT.001', 'URL.AGENT.002',
  'URL.APIKEY.001', 'URL.APPS.001',
  'AGENT.ASSERT.001', 'AGENT.ASSERT.002', 'AGENT.ASSERT.003', 'AGENT.ASSERT.004', 'AGENT.ASSERT.005', 'AGENT.ASSERT.006',
  'GATE.PLAN.001', 'HDR.BACKEND.001', 'GATE.APIKEY.002',
] as const;

/** Rules the case-free journal checker judges on the same requests. */
const JOURNAL_RULES = new Set<string>(['HDR.BACKEND.001', 'GATE.APIKEY.002']);

/** The facts page's canonical header sets, run first on every callsite. */
function canonicalExamples(): RequestCase[] {
  const specs: AuthSpec[] = [
    { mode: 'chatgpt', account: { plan: 'enterprise', fedramp: true }, lastRefreshDaysAgo: 0 },
    { mode: 'chatgptAuthTokens', account: { plan: 'team', fedramp: false } },
    { mode: 'agentIdentity', account: { plan: 'business', fedramp: true }, via: 'CODEX_ACCESS_TOKEN' },
    { mode: 'apiKey', via: 'authJson' },
  ];
  const canonical = specs.flatMap((auth) => CALLSITE_IDS.map((callsiteId) => ({ auth, callsiteId, base: 'backend-api/' as const, appsEnabled: true })));
  // An older login without a stored account_id: no ChatGPT-Account-ID at all (HDR.ACCOUNT.002).
  const withoutAccountId: RequestCase = {
    auth: { mode: 'chatgpt', account: { plan: 'plus', fedramp: false }, lastRefreshDaysAgo: 0, accountIdStored: false },
    callsiteId: 'cloud-tasks.list',
    base: 'backend-api/',
    appsEnabled: true,
  };
  return [...canonical, withoutAccountId];
}

export function requestCase(callsites: readonly string[]): fc.Arbitrary<RequestCase> {
  return fc.record({
    auth: authSpec(),
    callsiteId: fc.constantFrom(...callsites),
    base: baseUrlVariant(),
    appsEnabled: fc.boolean(),
  });
}

export function showRequestCase(c: RequestCase): string {
  return `${describeAuthSpec(c.auth)} → ${c.callsiteId} with chatgpt_base_url=<mock>/${c.base}${c.appsEnabled ? '' : ' (apps disabled)'}`;
}

/** Runs one request case and judges every request the mock saw for it. */
export async function executeRequestCase(ctx: SuiteContext, input: RequestCase, caseId: string): Promise<RuleResult[]> {
  const missing = missingCapability(ctx, { mode: input.auth.mode, callsites: [input.callsiteId] });
  if (missing !== undefined) return RULES.map((id) => unsupported(id, missing, caseId));
  const urls = ctx.mock.beginCase(caseId);
  try {
    const seeded = await seedAuth(ctx.mock.backend, input.auth);
    const config = { chatgptBaseUrl: chatgptBaseUrlFor(urls, input.base), openaiBaseUrl: urls.openai, appsEnabled: input.appsEnabled };
    const home = await freshHome(ctx, caseId);
    const outcome = await withSession(ctx, { caseId, home, ...seeded.setup, config }, (s) => s.invoke(input.callsiteId));
    if (outcome.kind === 'skipped') return RULES.map((id) => skip(id, `implementation skipped ${input.callsiteId}: ${outcome.reason}`, caseId));
    const observed = ctx.mock.journal(caseId);
    const expectation = expectRequest({ auth: seeded.expected, callsiteId: input.callsiteId, config });
    const runtime = seeded.agentRuntimeId;
    const taskIdsIssued = runtime === undefined ? [] : [...ctx.mock.backend.tasks.values()].filter((t) => t.runtimeId === runtime).map((t) => t.taskId);
    const results = [
      ...checkObserved(observed, expectation, { auth: seeded.expected, taskIdsIssued, config, caseId }),
      ...checkJournal(observed).filter((r) => JOURNAL_RULES.has(r.ruleId)),
    ];
    // What the implementation said about a failed call is evidence too (e.g. a blocked connection).
    if (outcome.kind !== 'errored') return results;
    return results.map((r) => (r.verdict === 'fail' ? { ...r, message: `${r.message} (the implementation reported: ${outcome.message.slice(0, 300)})` } : r));
  } finally {
    ctx.mock.endCase();
  }
}

export const requestsSuite: Suite = {
  id: 'requests',
  title: 'Header set, gate and URL of every callsite request, per auth mode and base URL spelling',
  rules: RULES,
  run(ctx) {
    const callsites = ctx.implementation.capabilities.callsites.filter((c) => CALLSITE_IDS.includes(c));
    return runProperty(this, ctx, {
      arbitrary: () => requestCase(callsites.length > 0 ? callsites : CALLSITE_IDS),
      examples: canonicalExamples(),
      execute: (input, caseId) => executeRequestCase(ctx, input, caseId),
      show: showRequestCase,
    });
  },
};
