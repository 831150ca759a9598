import { ConformanceInputError, isInputError } from '../src/errors.js';
import { PLAN_TYPES, type CreateAccountOptions, type PlanType } from './state/accounts.js';
import { faultHandlers, parseFaults } from './faults.js';
import type { MockContext } from './handlers/route.js';
import type { HttpHandler } from 'msw';

/**
 * The control plane of a running mock (`/__control/...` on the bridge): seed accounts, issue
 * fixtures, read the journal as NDJSON, read the token lineage (`GET /lineage`: every ChatGPT
 * token pair minted, by fingerprint, with family and generation), reset, set faults, rotate keys, move the clock. Not
 * journaled: it is the harness talking to the mock, not traffic under test. It returns raw
 * credentials (the harness needs them to configure an implementation), so it binds where the
 * bridge binds: loopback unless a host is given explicitly.
 */
export interface ControlTarget {
  readonly ctx: MockContext;
  use(...handlers: HttpHandler[]): void;
  resetHandlers(): void;
  reset(): void;
}

export interface ControlAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const json = (status: number, value: unknown): ControlAnswer => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify(value),
});

function badInput(problem: string, fix: string): never {
  throw new ConformanceInputError('USAGE', problem, fix);
}

function objectBody(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return badInput('The control request body is not JSON.', 'Send a JSON object (or no body).');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return badInput('The control request body is not a JSON object.', 'Send a JSON object.');
  }
  return value as Record<string, unknown>;
}

function accountOptions(o: Record<string, unknown>): CreateAccountOptions {
  const plan = o['plan'];
  if (plan !== undefined && !(typeof plan === 'string' && (PLAN_TYPES as readonly string[]).includes(plan))) {
    badInput(`plan ${JSON.stringify(plan)} is not a known plan.`, `Use one of ${PLAN_TYPES.join(', ')}.`);
  }
  return {
    ...(typeof o['id'] === 'string' ? { id: o['id'] } : {}),
    ...(typeof o['email'] === 'string' ? { email: o['email'] } : {}),
    ...(plan === undefined ? {} : { plan: plan as PlanType }),
    ...(typeof o['fedramp'] === 'boolean' ? { fedramp: o['fedramp'] } : {}),
  };
}

export async function handleControl(
  target: ControlTarget,
  method: string,
  url: URL,
  body: string,
): Promise<ControlAnswer> {
  const { backend, journal } = target.ctx;
  const path = url.pathname.replace(/^\/__control/, '') || '/';
  const caseId = url.searchParams.get('case') ?? undefined;
  try {
    const route = `${method} ${path}`;
    let m: RegExpExecArray | null;
    if (route === 'GET /health') return json(200, { ok: true });
    if (route === 'POST /reset') {
      target.reset();
      return json(200, { ok: true });
    }
    if (route === 'POST /accounts') {
      const account = backend.createAccount(accountOptions(objectBody(body)));
      return json(201, account);
    }
    if ((m = /^POST \/accounts\/([^/]+)\/chatgpt-tokens$/.exec(route)) !== null) {
      const o = objectBody(body);
      const tokens = await backend.issueChatgptTokens(decodeURIComponent(m[1] as string), {
        ...(typeof o['ttlSeconds'] === 'number' ? { ttlSeconds: o['ttlSeconds'] } : {}),
        ...(o['expired'] === true ? { expired: true } : {}),
      });
      return json(201, tokens);
    }
    if ((m = /^POST \/accounts\/([^/]+)\/agent-identity$/.exec(route)) !== null) {
      const o = objectBody(body);
      const fixture = await backend.createAgentIdentity(decodeURIComponent(m[1] as string), {
        ...(typeof o['encryptTaskIds'] === 'boolean' ? { encryptTaskIds: o['encryptTaskIds'] } : {}),
        ...(typeof o['ttlSeconds'] === 'number' ? { ttlSeconds: o['ttlSeconds'] } : {}),
      });
      return json(201, fixture);
    }
    if (route === 'POST /api-keys') return json(201, { apiKey: backend.createApiKey() });
    if (route === 'GET /lineage') return json(200, backend.issuedLineage());
    if (route === 'GET /journal') return { status: 200, contentType: 'application/x-ndjson', body: journal.toNdjson(caseId) };
    if (route === 'DELETE /journal') {
      journal.clear(caseId);
      return json(200, { ok: true });
    }
    if (route === 'POST /faults') {
      const o = objectBody(body);
      const faults = parseFaults(o['faults']).map((f) => (typeof o['caseId'] === 'string' ? { ...f, caseId: o['caseId'] } : f));
      target.use(...faults.flatMap((f) => faultHandlers(target.ctx, f)));
      return json(200, { installed: faults.length });
    }
    if (route === 'DELETE /faults') {
      target.resetHandlers();
      return json(200, { ok: true });
    }
    if (route === 'POST /jwks/rotate') {
      const key = await backend.agentIdentityKeys.rotate({ retainPrevious: objectBody(body)['retainPrevious'] === true });
      return json(200, { kid: key.kid });
    }
    if (route === 'POST /clock/advance') {
      const ms = objectBody(body)['ms'];
      if (typeof ms !== 'number' || !Number.isFinite(ms)) return badInput('ms must be a finite number.', 'Send {"ms": 60000}.');
      backend.advance(ms);
      return json(200, { now: backend.now() });
    }
    return json(404, { error: { code: 'no_control_route', message: `No control route ${method} ${path}.` } });
  } catch (e) {
    if (isInputError(e)) return json(400, { error: { code: e.code, message: e.message } });
    return json(500, { error: { code: 'internal_error', message: 'The control request failed.' } });
  }
}
