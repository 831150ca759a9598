import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { accountSpec } from '../../../scenarios/arbitraries/auth-spec.js';
import type { Fault } from '../../../mocks/faults.js';
import type { MockBackend } from '../../../mocks/state/mock-backend.js';
import type { ChatgptTokens } from '../../../mocks/state/issued-records.js';
import { assertNever } from '../../assert-never.js';
import { judgeShareScenario, SHARE_RULES, type AuthJsonState, type ShareStep } from '../../rules/check-share.js';
import { inProfile } from '../../rules/catalogue.js';
import { unsupported, type RuleResult } from '../../rules/result.js';
import type { AccountSpec } from '../auth-spec.js';
import { freshHome, missingCapability } from '../case-session.js';
import type { CaseSetup, Session } from '../implementation.js';
import { runProperty } from '../property.js';
import type { Suite, SuiteContext } from '../suite.js';

/**
 * Several processes, one login (the SHARE rules): independent sessions of the implementation
 * (in process: independent AuthManagers, no shared memory) on one CODEX_HOME, steps in order,
 * with auth.json read before and after each step and the mock's refresh-token lineage in the
 * journal. `judgeShareScenario` (src/rules/check-share.ts) judges the recording.
 *
 * Scenarios (codex-rs/login/src/auth/manager.rs per profile):
 * - `rotatedElsewhere`: B refreshes the shared login; A, which had loaded the old generation,
 *   then needs a refresh (SHARE.RELOAD.001, the SHARE.WRITE rules);
 * - `anotherAccount` / `loggedOut`: while A is idle another process logs in as another account,
 *   or logs out (SHARE.RELOAD.002);
 * - `unauthorizedRotated`: A's access token is refused (401) after B rotated the tokens (SHARE.RELOAD.003);
 * - `concurrent`: A sends several requests at once with a stale token (SHARE.SINGLEFLIGHT.001);
 * - `reLogin`: another process logs in again as the same account while A is up, and A's old
 *   token is refused (SHARE.ADOPT.001);
 * - `appsAfterRefresh`: A's Codex Apps MCP request is refused, A refreshes, the retry and the next
 *   callsite carry the new token (SHARE.APPS.001);
 * - `race`: A and B enter the refresh together (SHARE.RACE.001).
 */
export const SHARE_SCENARIO_KINDS = ['rotatedElsewhere', 'anotherAccount', 'loggedOut', 'unauthorizedRotated', 'concurrent', 'reLogin', 'appsAfterRefresh', 'race'] as const;
export type ShareScenarioKind = (typeof SHARE_SCENARIO_KINDS)[number];

export interface ShareCase {
  readonly kind: ShareScenarioKind;
  readonly account: AccountSpec;
  /** auth.json also holds an OPENAI_API_KEY (a key the refresh does not own: SHARE.WRITE.001). */
  readonly apiKeyInFile: boolean;
  /** Requests sent at once in `concurrent`. */
  readonly width: number;
}

/**
 * Generated cases per run, at most: a case plays two to four sessions and several steps (about
 * 20 ms in process, twice a refresh case), and the eight scenario kinds are all hand-picked
 * examples besides, so more generated cases add time, not kinds (npm test's budget).
 */
export const SHARE_MAX_RUNS = 16;

const BACKEND_CALLSITE = 'cloud-tasks.list';
const APPS_CALLSITE = 'apps-mcp.tools-list';
const TRUSTED_CHATGPT_BASE = 'https://chatgpt.com/backend-api/';

export function shareCase(): fc.Arbitrary<ShareCase> {
  return fc.record({
    kind: fc.constantFrom(...SHARE_SCENARIO_KINDS),
    account: accountSpec(),
    apiKeyInFile: fc.boolean(),
    width: fc.integer({ min: 2, max: 4 }),
  });
}

export function showShareCase(c: ShareCase): string {
  const who = `chatgpt ${c.account.plan}${c.account.fedramp ? ' fedramp' : ''}${c.apiKeyInFile ? ', OPENAI_API_KEY in auth.json' : ''}`;
  switch (c.kind) {
    case 'rotatedElsewhere':
      return `${who}, access token expired: A loads, B refreshes, A → ${BACKEND_CALLSITE}`;
    case 'anotherAccount':
      return `${who}, access token expired: A loads, another process logs in as another account, A → ${BACKEND_CALLSITE}`;
    case 'loggedOut':
      return `${who}, access token expired: A loads, another process logs out (auth.json removed), A → ${BACKEND_CALLSITE}`;
    case 'unauthorizedRotated':
      return `${who}, the backend refuses the first access token (401): A loads, B → ${BACKEND_CALLSITE} (refreshes), A → ${BACKEND_CALLSITE}`;
    case 'concurrent':
      return `${who}, access token expired: A → ${c.width} × ${BACKEND_CALLSITE} at once`;
    case 'reLogin':
      return `${who}: A → ${BACKEND_CALLSITE}, another process logs in again as the same account and the old token is refused, A → ${BACKEND_CALLSITE}`;
    case 'appsAfterRefresh':
      return `${who}, the backend refuses the first access token (401): A → ${APPS_CALLSITE} (refreshes), A → ${BACKEND_CALLSITE}`;
    case 'race':
      return `${who}, access token expired: A and B load, then A and B → ${BACKEND_CALLSITE} at once`;
    default:
      return assertNever(c.kind, 'share scenario');
  }
}

function authJsonText(tokens: ChatgptTokens, apiKey: string | undefined, lastRefresh: string): string {
  return JSON.stringify(
    {
      auth_mode: 'chatgpt',
      OPENAI_API_KEY: apiKey ?? null,
      tokens: { id_token: tokens.idToken, access_token: tokens.accessToken, refresh_token: tokens.refreshToken, account_id: tokens.accountId },
      last_refresh: lastRefresh,
    },
    null,
    2,
  );
}

async function readState(home: string): Promise<AuthJsonState> {
  const path = join(home, 'auth.json');
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { text, mode: info.mode & 0o777 };
  } catch {
    return { text: undefined };
  }
}

/** A login of a new account of the same kind (another process's `codex login`). */
async function login(backend: MockBackend, account: AccountSpec, opts: { expired?: boolean } = {}): Promise<ChatgptTokens> {
  const created = backend.createAccount({ plan: account.plan, fedramp: account.fedramp });
  return backend.issueChatgptTokens(created.id, { expired: opts.expired === true });
}

export async function executeShareCase(ctx: SuiteContext, c: ShareCase, caseId: string): Promise<RuleResult[]> {
  const callsites = c.kind === 'appsAfterRefresh' ? [APPS_CALLSITE, BACKEND_CALLSITE] : [BACKEND_CALLSITE];
  const missing = missingCapability(ctx, { mode: 'chatgpt', callsites, introspect: ['authMode'] });
  if (missing !== undefined) return SHARE_RULES.filter((id) => inProfile(ctx.profile, id)).map((id) => unsupported(id, missing, caseId));
  const urls = ctx.mock.beginCase(caseId);
  const sessions: Session[] = [];
  try {
    const backend = ctx.mock.backend;
    const home = await freshHome(ctx, caseId);
    const expired = c.kind !== 'unauthorizedRotated' && c.kind !== 'reLogin' && c.kind !== 'appsAfterRefresh';
    const first = await login(backend, c.account, { expired });
    const apiKey = c.apiKeyInFile ? backend.createApiKey() : undefined;
    const lastRefresh = new Date(backend.now() - 86_400_000).toISOString();
    await writeFile(join(home, 'auth.json'), authJsonText(first, apiKey, lastRefresh), { mode: 0o600 });
    const refusedFirst: Fault[] = [{ kind: 'unauthorizedToken', token: first.accessToken, caseId }];
    if (c.kind === 'unauthorizedRotated' || c.kind === 'appsAfterRefresh') ctx.mock.useFaults(...refusedFirst);
    const trusted = c.kind === 'appsAfterRefresh' && ctx.mock.productionHosts;
    const setup: CaseSetup = {
      caseId,
      home,
      files: {},
      env: { CODEX_REFRESH_TOKEN_URL_OVERRIDE: `${urls.root}/oauth/token` },
      config: { chatgptBaseUrl: trusted ? TRUSTED_CHATGPT_BASE : urls.chatgptBackendApi, openaiBaseUrl: urls.openai, appsEnabled: true },
    };
    const actor = async (): Promise<Session> => {
      const session = await ctx.implementation.start({ freshProcess: true });
      sessions.push(session);
      await session.configure(setup);
      return session;
    };

    const steps: ShareStep[] = [];
    const lastSeq = (): number => ctx.mock.journal(caseId).reduce((max, e) => Math.max(max, e.seq), 0);
    const step = async (kind: ShareStep['kind'], actors: readonly string[], label: string, run: () => Promise<unknown>): Promise<void> => {
      const fromSeq = lastSeq();
      const before = await readState(home);
      await run();
      // Every session of the implementation is one auth manager (in process: one AuthManager each).
      steps.push({ kind, actors, label, fromSeq, toSeq: lastSeq(), before, after: await readState(home), oneAuthManager: kind === 'client' });
    };
    const load = (name: string, s: Session): Promise<void> => step('client', [name], `${name} loads auth.json`, () => s.introspect!('authMode'));
    const call = (name: string, s: Session, callsite = BACKEND_CALLSITE): Promise<void> => step('client', [name], `${name} → ${callsite}`, () => s.invoke(callsite));
    const writeLogin = (label: string, tokens: ChatgptTokens): Promise<void> =>
      step('write', ['another process'], label, () => writeFile(join(home, 'auth.json'), authJsonText(tokens, apiKey, new Date(backend.now()).toISOString()), { mode: 0o600 }));

    switch (c.kind) {
      case 'rotatedElsewhere':
      case 'unauthorizedRotated': {
        const a = await actor();
        const b = await actor();
        await load('A', a);
        await call('B', b);
        await call('A', a);
        break;
      }
      case 'anotherAccount':
      case 'loggedOut': {
        const a = await actor();
        await load('A', a);
        if (c.kind === 'anotherAccount') await writeLogin('another process logs in as another account', await login(backend, c.account));
        else await step('write', ['another process'], 'another process logs out', () => rm(join(home, 'auth.json'), { force: true }));
        await call('A', a);
        break;
      }
      case 'concurrent': {
        const a = await actor();
        await step('client', ['A'], `A → ${c.width} × ${BACKEND_CALLSITE} at once`, () => Promise.all(Array.from({ length: c.width }, () => a.invoke(BACKEND_CALLSITE))));
        break;
      }
      case 'reLogin': {
        const a = await actor();
        await call('A', a);
        const again = await backend.issueChatgptTokens(first.accountId);
        await writeLogin('another process logs in again as the same account', again);
        ctx.mock.useFaults(...refusedFirst);
        await call('A', a);
        break;
      }
      case 'appsAfterRefresh': {
        const a = await actor();
        await call('A', a, APPS_CALLSITE);
        await call('A', a, BACKEND_CALLSITE);
        break;
      }
      case 'race': {
        const a = await actor();
        const b = await actor();
        await load('A', a);
        await load('B', b);
        await step('client', ['A', 'B'], `A and B → ${BACKEND_CALLSITE} at once`, () => Promise.all([a.invoke(BACKEND_CALLSITE), b.invoke(BACKEND_CALLSITE)]));
        break;
      }
      default:
        return assertNever(c.kind, 'share scenario');
    }
    return judgeShareScenario({ profile: ctx.profile, caseId, journal: ctx.mock.journal(caseId), issued: backend.issuedLineage(), steps });
  } finally {
    await Promise.all(sessions.map((s) => s.stop()));
    ctx.mock.endCase();
  }
}

export const shareSuite: Suite = {
  id: 'share',
  title: 'several processes, one login: guarded reloads, single-flight refresh, adoption, writers of auth.json',
  rules: SHARE_RULES,
  run(ctx) {
    const account = { plan: 'plus' as const, fedramp: false };
    return runProperty(this, { ...ctx, runs: Math.min(ctx.runs, SHARE_MAX_RUNS) }, {
      arbitrary: () => shareCase(),
      examples: SHARE_SCENARIO_KINDS.map((kind) => ({ kind, account, apiKeyInFile: true, width: 3 })),
      execute: (input, caseId) => executeShareCase(ctx, input, caseId),
      show: showShareCase,
    });
  },
};
