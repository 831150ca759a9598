import fc from 'fast-check';
import { accountSpec } from '../../../scenarios/arbitraries/auth-spec.js';
import { defaultAgentIdentityVia } from '../../../scenarios/arbitraries/auth-spec.js';
import { baseChoice, chatgptBaseUrlFor, MOCK_BACKEND_API, showBaseChoice, type BaseChoice, type BaseHostSupport } from '../../../scenarios/arbitraries/base-url.js';
import { contractAuthapiBase } from '../../rules/contract/urls.js';
import type { ProfileId } from '../../rules/profiles.js';
import { contractFeatures } from '../../rules/contract/features.js';
import { inProfile } from '../../rules/catalogue.js';
import { assertNever } from '../../assert-never.js';
import { usesCodexBackend } from '../../auth/auth-getters.js';
import { callsiteById, CALLSITE_IDS } from '../../callsites/catalog.js';
import type { Fault } from '../../../mocks/faults.js';
import { REGISTRATION_SHAPES, type RegistrationShape } from '../../../mocks/handlers/registration-shape.js';
import { checkJournal } from '../../rules/check.js';
import { checkIdentityAccepted, checkRegistrationAnswers, checkRegistrationRetried } from '../../rules/check-agent-session.js';
import { isReadableAnswer, REGISTRATION_ANSWERS, type RegistrationAnswer } from '../../../mocks/handlers/registration-answer.js';
import type { ObservedRequest } from '../../rules/observed-request.js';
import { fail, pass, unsupported, type RuleResult } from '../../rules/result.js';
import { seedAuth, type AccountSpec } from '../auth-spec.js';
import { freshHome, missingCapability, withSession } from '../case-session.js';
import { runProperty } from '../property.js';
import type { Suite, SuiteContext } from '../suite.js';
import { ACCEPTED_IDENTITY_EDGES, flawedJwt, IDENTITY_FLAWS, JWKS_FLAW, type IdentityFlaw } from './identity-flaws.js';

/**
 * One process with an agent identity: several callsites in a row (AGENT.TASK.005 one
 * registration per load, AGENT.TASK.003 / AGENT.JWT.002 ordering), a registration the backend
 * fails first (AGENT.TASK.004: retried only when retryable, within the source's attempts), or
 * (codex-0.171) an identity JWT with a flaw that verification must catch before any
 * AgentAssertion is sent (AGENT.JWT.001). PR #18811 has no JWT: its identity is an auth.json record.
 */
export const REGISTRATION_FAULTS = [
  'none', 'serverErrorOnce', 'rateLimitedOnce', 'rejectedOnce',
  // Issue 20: 4xx and 5xx with and without a body (the source's retry looks at the status only).
  'internalErrorOnce', 'badGatewayBareOnce', 'badRequestOnce', 'notFoundBareOnce',
] as const;
export type RegistrationFault = (typeof REGISTRATION_FAULTS)[number];
export interface AgentSessionCase {
  readonly account: AccountSpec;
  readonly flaw: IdentityFlaw;
  readonly callsites: readonly string[];
  readonly base: BaseChoice;
  readonly registrationFault: RegistrationFault;
  /** How the mock answers a registration: `task_id`, camelCase, sealed, with null siblings (absent: `task_id`). */
  readonly registrationShape?: RegistrationShape;
  /** An adversarial answer to every registration of the case (AGENT.TASK.006; hand-picked examples only). */
  readonly registrationAnswer?: RegistrationAnswer;
}

const RULES = ['AGENT.TASK.002', 'AGENT.TASK.003', 'AGENT.TASK.004', 'AGENT.TASK.005', 'AGENT.TASK.006', 'AGENT.TASK.007', 'AGENT.JWT.001', 'AGENT.JWT.002', 'AGENT.JWT.003'] as const;
const SEQUENCE_RULES = new Set<string>(['AGENT.TASK.003', 'AGENT.TASK.004', 'AGENT.TASK.005', 'AGENT.JWT.002']);

/** Callsites an agent identity reaches (its gate admits codex-backend auth). */
function agentCallsites(available: readonly string[]): string[] {
  const probe = { mode: 'agentIdentity', jwt: 'x', claims: { agentRuntimeId: 'r', agentPrivateKey: 'k', accountId: 'a', isFedramp: false, iat: 0, exp: 0 } } as const;
  return available.filter((id) => callsiteById(id).gate(probe, { appsEnabled: true }).allowed && usesCodexBackend(probe));
}

export function agentSessionCase(callsites: readonly string[], profile: ProfileId, hosts: BaseHostSupport | boolean): fc.Arbitrary<AgentSessionCase> {
  const flaw = contractFeatures(profile).agentIdentity !== 'verifiedJwt' ? fc.constant<IdentityFlaw>('none') : fc.oneof({ weight: 3, arbitrary: fc.constant<IdentityFlaw>('none') }, { weight: 2, arbitrary: fc.constantFrom(...IDENTITY_FLAWS) });
  return fc.record({
    account: accountSpec(),
    flaw,
    callsites: fc.array(fc.constantFrom(...callsites), { minLength: 1, maxLength: 4 }),
    base: baseChoice(hosts),
    registrationFault: fc.oneof({ weight: 3, arbitrary: fc.constant<RegistrationFault>('none') }, { weight: 1, arbitrary: fc.constantFrom(...REGISTRATION_FAULTS) }),
    registrationShape: fc.constantFrom(...REGISTRATION_SHAPES),
  });
}

export function showAgentSessionCase(c: AgentSessionCase): string {
  const account = `${c.account.plan}${c.account.fedramp ? ' fedramp' : ''}`;
  const fault = `${c.registrationFault === 'none' ? '' : `, the first registration answered ${c.registrationFault}`}${c.registrationShape === undefined || c.registrationShape === 'task_id' ? '' : `, registrations answered as ${c.registrationShape}`}${c.registrationAnswer === undefined ? '' : `, registrations answered ${c.registrationAnswer}`}`;
  return `agentIdentity ${account}${c.flaw === 'none' ? '' : ` with a ${c.flaw} identity JWT`} → ${c.callsites.join(', ')} in one process, chatgpt_base_url=${showBaseChoice(c.base)}${fault}`;
}

/** The mock fault that makes the first registration fail, and whether the source retries after it. */
function registrationFaults(fault: RegistrationFault, caseId: string): Fault[] {
  switch (fault) {
    case 'none':
      return [];
    case 'serverErrorOnce':
      return [{ kind: 'serverError', status: 503, caseId, path: '/task/register', times: 1 }];
    case 'rateLimitedOnce':
      return [{ kind: 'rateLimited', retryAfterSeconds: 0, caseId, path: '/task/register', times: 1 }];
    case 'rejectedOnce':
      return [{ kind: 'forbiddenOnce', caseId, path: '/task/register' }];
    case 'internalErrorOnce':
      return [{ kind: 'serverError', status: 500, caseId, path: '/task/register', times: 1 }];
    case 'badGatewayBareOnce':
      return [{ kind: 'bareStatus', status: 502, caseId, path: '/task/register', times: 1 }];
    case 'badRequestOnce':
      return [{ kind: 'serverError', status: 400, caseId, path: '/task/register', times: 1 }];
    case 'notFoundBareOnce':
      return [{ kind: 'bareStatus', status: 404, caseId, path: '/task/register', times: 1 }];
    default:
      return assertNever(fault, 'registration fault');
  }
}

export async function executeAgentSessionCase(ctx: SuiteContext, input: AgentSessionCase, caseId: string): Promise<RuleResult[]> {
  const missing = missingCapability(ctx, { mode: 'agentIdentity', callsites: input.callsites });
  if (missing !== undefined) return RULES.map((id) => unsupported(id, missing, caseId));
  const urls = ctx.mock.beginCase(caseId);
  try {
    const via = defaultAgentIdentityVia(ctx.profile);
    const seeded = await seedAuth(ctx.mock.backend, { mode: 'agentIdentity', account: input.account, via }, { caseId });
    if (input.registrationShape !== undefined && seeded.agentRuntimeId !== undefined) ctx.mock.backend.setRegistrationShape(seeded.agentRuntimeId, input.registrationShape);
    const chatgptBaseUrl = chatgptBaseUrlFor(urls, input.base);
    const env: Record<string, string> = { ...seeded.setup.env };
    if (via === 'CODEX_ACCESS_TOKEN') {
      if (input.flaw !== 'none') env['CODEX_ACCESS_TOKEN'] = await flawedJwt(ctx.mock.backend, env['CODEX_ACCESS_TOKEN']!, input.flaw);
      if (contractAuthapiBase(ctx.profile, { chatgptBaseUrl }).kind === 'refused') {
        // A base outside production and staging (loopback, a custom host, an unlisted spelling): the
        // source's override pair makes agent identity work there.
        env['CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL'] = `${urls.root}/api/accounts`;
        env['CODEX_AGENT_IDENTITY_JWKS_BASE_URL'] = chatgptBaseUrl;
      }
    }
    const config = { chatgptBaseUrl, openaiBaseUrl: urls.openai, appsEnabled: true };
    const home = await freshHome(ctx, caseId);
    const jwksFlaw = JWKS_FLAW[input.flaw];
    const answer: Fault[] = input.registrationAnswer === undefined ? [] : [{ kind: 'registrationAnswer', answer: input.registrationAnswer, caseId }];
    ctx.mock.useFaults(...registrationFaults(input.registrationFault, caseId), ...answer, ...(jwksFlaw !== undefined && via === 'CODEX_ACCESS_TOKEN' ? [{ kind: 'jwksDocument' as const, document: jwksFlaw, caseId }] : []));
    const callStarts: number[] = [];
    await withSession(ctx, { caseId, home, files: seeded.setup.files, env, config }, async (s) => {
      for (const id of input.callsites) {
        callStarts.push(ctx.mock.journal(caseId).at(-1)?.seq ?? -1);
        await s.invoke(id);
      }
    });
    const observed = ctx.mock.journal(caseId);
    const accepted = ACCEPTED_IDENTITY_EDGES.includes(input.flaw);
    if (input.flaw !== 'none' && !accepted) {
      const leaked = observed.filter((o) => o.credential.kind === 'agentAssertion' || /\/task\/register$/.test(new URL(o.url).pathname));
      return [
        leaked.length === 0
          ? pass('AGENT.JWT.001', `AGENT.JWT.001 a ${input.flaw} identity JWT was refused before any assertion or task registration`, caseId)
          : fail('AGENT.JWT.001', `a ${input.flaw} identity JWT`, 'refused: no task registration and no AgentAssertion request', `${leaked.length} request(s), first ${leaked[0]!.method} ${leaked[0]!.url}`, caseId),
      ];
    }
    const results = checkJournal(observed, { profile: ctx.profile, callStarts }).filter((r) => SEQUENCE_RULES.has(r.ruleId));
    // A sound identity (or an edge the source accepts) with a registration that succeeds is used.
    if (contractFeatures(ctx.profile).agentIdentity === 'verifiedJwt' && input.registrationFault !== 'rejectedOnce') results.push(checkIdentityAccepted(observed, input.flaw === 'none' ? 'valid' : input.flaw, caseId));
    results.push(...registrationVerdicts(observed, caseId));
    if (input.registrationAnswer !== undefined) results.push(...checkRegistrationAnswers(observed, { name: input.registrationAnswer, readable: isReadableAnswer(input.registrationAnswer) }, callStarts, caseId));
    if (inProfile(ctx.profile, 'AGENT.TASK.007')) results.push(...checkRegistrationRetried(observed, callStarts, contractFeatures(ctx.profile).registrationAttempts, caseId));
    const assertions = observed.filter((o) => o.credential.kind === 'agentAssertion');
    if (assertions.length > 0 && !observed.some((o) => /\/task\/register$/.test(new URL(o.url).pathname))) {
      results.push(fail('AGENT.TASK.003', 'task registration', 'a registration before the first AgentAssertion request', `${assertions.length} AgentAssertion request(s) and no registration`, caseId));
    }
    return results;
  } finally {
    ctx.mock.endCase();
  }
}

/**
 * AGENT.TASK.002 from the backend's side: the mock verifies each registration's Ed25519
 * signature over "{agent_runtime_id}:{timestamp}" as the real authapi does and answers 401
 * `bad_signature` (or 400 for a malformed body) otherwise; the body is sent as JSON
 * (`content-type: application/json`, as reqwest's `.json(&request)` sets it).
 */
function registrationVerdicts(observed: readonly ObservedRequest[], caseId: string): RuleResult[] {
  const registrations = observed.filter((o) => /\/task\/register$/.test(new URL(o.url).pathname));
  // Answers the injected faults gave (a 503/429/403 the backend chose) say nothing of the body.
  return registrations.filter((o) => !(o.verdict.endpoint ?? '').startsWith('fault.')).map((o) =>
    o.method === 'POST' && o.verdict.status >= 200 && o.verdict.status < 300 && /^application\/json\b/i.test(o.headers['content-type'] ?? '')
      ? pass('AGENT.TASK.002', `AGENT.TASK.002 registration #${o.seq} verified by the backend`, caseId)
      : fail('AGENT.TASK.002', `task registration #${o.seq}`, 'a POST of JSON (content-type application/json) whose {timestamp, signature} verifies', `${o.method} with content-type ${JSON.stringify(o.headers['content-type'] ?? null)} answered ${o.verdict.status}${o.verdict.reason !== undefined ? ` (${o.verdict.reason})` : ''}`, caseId),
  );
}

export const agentSessionSuite: Suite = {
  id: 'agent-session',
  title: 'Agent identity over one process: verification first, one task registration, ordering',
  rules: RULES,
  run(ctx) {
    const callsites = agentCallsites(ctx.implementation.capabilities.callsites.filter((c) => CALLSITE_IDS.includes(c)));
    const plus = { plan: 'plus' as const, fedramp: false };
    const base = MOCK_BACKEND_API;
    return runProperty(this, ctx, {
      arbitrary: () => agentSessionCase(callsites.length > 0 ? callsites : ['cloud-tasks.list'], ctx.profile, ctx.mock),
      examples: [
        { account: { plan: 'business', fedramp: true }, flaw: 'none', callsites: callsites.slice(0, 3), base, registrationFault: 'none' },
        // A correct client after a transient registration failure (issue 14): retried where the source retries.
        ...(['serverErrorOnce', 'rejectedOnce'] as const).map((registrationFault) => ({ account: plus, flaw: 'none' as const, callsites: callsites.slice(0, 2), base, registrationFault })),
        // Every registration failure status, with and without a body (issue 20), and every adversarial answer.
        ...(['internalErrorOnce', 'badGatewayBareOnce', 'badRequestOnce', 'notFoundBareOnce'] as const).map((registrationFault) => ({ account: plus, flaw: 'none' as const, callsites: callsites.slice(0, 2), base, registrationFault })),
        // (an unreadable answer with one call only: AGENT.TASK.005 counts every 2xx registration as a success)
        ...REGISTRATION_ANSWERS.map((registrationAnswer) => ({ account: plus, flaw: 'none' as const, callsites: callsites.slice(0, isReadableAnswer(registrationAnswer) ? 2 : 1), base, registrationFault: 'none' as const, registrationAnswer })),
        // Every flaw the source's verification refuses, once each (random generation reaches each one rarely).
        ...(contractFeatures(ctx.profile).agentIdentity !== 'verifiedJwt' ? [] : IDENTITY_FLAWS.filter((f) => f !== 'none').map((flaw) => ({ account: plus, flaw, callsites: callsites.slice(0, 1), base, registrationFault: 'none' as const }))),
      ],
      execute: (input, caseId) => executeAgentSessionCase(ctx, input, caseId),
      show: showAgentSessionCase,
    });
  },
};

