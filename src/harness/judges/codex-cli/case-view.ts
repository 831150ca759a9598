import type { PlanType } from '../../../../mocks/state/accounts.js';
import type { RefreshErrorCode } from '../../../../mocks/faults.js';
import type { SeedAuthMode as AuthMode } from '../../../auth/codex-auth.js';
import { ConformanceInputError } from '../../../errors.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BLACKBOX_SCENARIO_DIR, flattenSteps, loadScenarioFamily, loadScenarioFile } from '../../scenario/load-scenario.js';
import type { BlackboxScenario, CredentialSpec, LoginSpec } from '../../scenario/scenario.js';
import type { SeededCredential } from '../../scenario/seed-scenario.js';

/**
 * What the real-CLI judges know about a case, read from its data file
 * (scenarios/blackbox/codex-cli/*.json): the auth mode of its login, the access token's state,
 * the refresh refusal, the configured base, whether a second account takes over, whether the
 * host answers a refresh. Pure derivations of the scenario; nothing here is a table of cases.
 */
export type CodexCliCaseId = string;
export type CodexCliFlow = 'exec' | 'appServer' | 'tui';

/** The access token handed to the binary (managed ChatGPT auth only). */
export type TokenState = 'fresh' | 'expired' | 'inRefreshWindow' | 'revoked';

export interface RefreshRefusal {
  readonly code: RefreshErrorCode | 'invalid_grant';
  readonly status: number;
}

/** A custom https ChatGPT base on a host name the namespace maps to the mock. */
export const TENANT_HOST = 'codex.tenant-mock.test';
export const TENANT_BASE_URL = `https://${TENANT_HOST}/backend-api/`;
export const STAGING_BASE_URL = 'https://chatgpt-staging.com/backend-api/';
/** The staging authapi host (codex-rs/agent-identity/src/lib.rs `STAGING_AGENT_IDENTITY_AUTHAPI_BASE_URL`). */
export const STAGING_AUTHAPI_HOST = 'auth.api.openai.org';

export interface CodexCliCase {
  readonly id: CodexCliCaseId;
  readonly mode: AuthMode;
  readonly flow: CodexCliFlow;
  readonly title: string;
  readonly account?: { readonly plan: PlanType; readonly fedramp: boolean };
  readonly forgedJwt?: boolean;
  readonly tokens?: TokenState;
  readonly refreshRefusal?: RefreshRefusal;
  readonly chatgptBaseUrl?: string;
  readonly extraHosts?: readonly string[];
  readonly switchAccount?: boolean;
  readonly hostRefresh?: boolean;
  readonly stopAfter?: 'modelTraffic';
  readonly personalAccessToken?: boolean;
  /**
   * Scoping set-up (judged by src/rules/check-scoping.ts): `model_provider` names a custom provider
   * with `requires_openai_auth = false` at `modelProviderBaseUrl`; `forced_chatgpt_workspace_id`
   * naming a workspace the credential is not of (the home's `config` in the data file);
   * `OPENAI_BASE_URL` in the first actor's env (`envOpenaiBaseUrl`, URL.ENVBASE.001).
   */
  readonly scoping?: { readonly modelProviderBaseUrl?: string; readonly forcedOtherWorkspace?: boolean; readonly envOpenaiBaseUrl?: string };
  /**
   * auth.json holds an API key beside ChatGPT tokens and says `auth_mode: "apikey"` (corpus B5);
   * `preferredAuthMethod`: config.toml also says `preferred_auth_method = "apikey"`, the way
   * releases before PR #3189 chose the key (stored-key-finding.ts).
   */
  readonly keyBesideTokens?: { readonly preferredAuthMethod: boolean };
}

/** A workspace no case's credential belongs to. */
export const OTHER_WORKSPACE_ID = '00000000-0000-4000-8000-00000000ffff';

/**
 * The credential a home's login runs with: its `credential`, except where auth.json holds an API
 * key beside ChatGPT tokens and says `auth_mode: "apikey"` (corpus B5): then the key, as the
 * source resolves the mode (`AuthDotJson::resolved_mode`: the stored `auth_mode`, else API key
 * when OPENAI_API_KEY is set; src/auth/auth-json.ts `resolvedAuthJsonMode`).
 */
export function homeLoginCredential(login: LoginSpec): string | undefined {
  if (login.kind !== 'credential') return undefined;
  return login.authMode === 'apikey' && login.apiKey !== undefined ? login.apiKey : login.credential;
}

/** The credential the scenario's first actor starts with: its home's login, else its first app-server login. */
export function primaryCredential(s: BlackboxScenario): CredentialSpec | undefined {
  const actor = s.actors[0];
  const home = s.homes.find((h) => h.id === actor?.home) ?? s.homes[0];
  const steps = flattenSteps(s.steps);
  const login = (home === undefined ? undefined : homeLoginCredential(home.login)) ?? steps.find((x) => x.kind === 'appServerLogin')?.credential;
  return s.mock.credentials.find((c) => c.id === login);
}

/** Logins after the first (a second account taking over the home or the app-server). */
function laterLogins(s: BlackboxScenario): string[] {
  const steps = flattenSteps(s.steps);
  const logins = steps.flatMap((x) => (x.kind === 'appServerLogin' ? [x.credential] : x.kind === 'writeAuthJson' && x.write.kind === 'login' ? [x.write.credential] : []));
  const first = primaryCredential(s)?.id;
  return logins.filter((c) => c !== first);
}

export function codexCliCaseView(s: BlackboxScenario): CodexCliCase {
  const c = primaryCredential(s);
  const home = s.homes[0];
  const actor = s.actors[0];
  const mode: AuthMode = c === undefined ? 'chatgptAuthTokens' : c.kind === 'apiKey' ? 'apiKey' : c.kind === 'chatgptTokens' ? 'chatgpt' : c.kind === 'agentIdentity' ? 'agentIdentity' : 'chatgptAuthTokens';
  const account = c === undefined || c.kind === 'apiKey' ? undefined : s.mock.accounts.find((a) => a.id === c.account);
  const tokens: TokenState | undefined = c?.kind !== 'chatgptTokens' ? undefined : c.access.kind === 'expired' ? 'expired' : c.access.kind === 'expiresIn' ? 'inRefreshWindow' : c.access.kind === 'revoked' ? 'revoked' : undefined;
  const refusal = s.mock.faults?.find((f) => f.kind === 'tokenEndpointError');
  const base = home?.chatgptBaseUrl?.kind === 'url' ? home.chatgptBaseUrl.url : undefined;
  const stopAfter = flattenSteps(s.steps).find((x) => x.kind === 'exec' && x.stopAfter !== undefined);
  const envBase = actor?.kind === 'codexExec' || actor?.kind === 'codexAppServer' || actor?.kind === 'codexTui' ? actor.env?.['OPENAI_BASE_URL'] : undefined;
  return {
    id: s.id,
    mode,
    flow: actor?.kind === 'codexAppServer' ? 'appServer' : actor?.kind === 'codexTui' ? 'tui' : 'exec',
    title: s.title,
    ...(account === undefined ? {} : { account: { plan: account.plan, fedramp: account.fedramp } }),
    ...(c?.kind === 'agentIdentity' && c.forged === true ? { forgedJwt: true } : {}),
    ...(tokens === undefined ? {} : { tokens }),
    ...(refusal?.kind === 'tokenEndpointError' ? { refreshRefusal: { code: refusal.code, status: refusal.status } } : {}),
    ...(base === undefined ? {} : { chatgptBaseUrl: base }),
    ...(s.extraHosts === undefined ? {} : { extraHosts: s.extraHosts }),
    ...(laterLogins(s).length > 0 ? { switchAccount: true } : {}),
    ...(actor?.kind === 'codexAppServer' && actor.refreshAnswer !== undefined ? { hostRefresh: true } : {}),
    ...(stopAfter?.kind === 'exec' && stopAfter.stopAfter !== undefined ? { stopAfter: stopAfter.stopAfter } : {}),
    ...(c?.kind === 'personalAccessToken' ? { personalAccessToken: true } : {}),
    ...(home?.login.kind === 'credential' && home.login.authMode === 'apikey' ? { keyBesideTokens: { preferredAuthMethod: home.config?.preferredAuthMethod === 'apikey' } } : {}),
    ...(home?.config?.customModelProviderBaseUrl === undefined && home?.config?.forcedWorkspace === undefined && envBase === undefined
      ? {}
      : {
          scoping: {
            ...(home?.config?.customModelProviderBaseUrl === undefined ? {} : { modelProviderBaseUrl: home.config.customModelProviderBaseUrl }),
            ...(home?.config?.forcedWorkspace === 'other' ? { forcedOtherWorkspace: true } : {}),
            ...(envBase === undefined ? {} : { envOpenaiBaseUrl: envBase }),
          },
        }),
  };
}

let loaded: readonly BlackboxScenario[] | undefined;
/** The codex-cli scenarios (scenarios/blackbox/codex-cli/), loaded once. */
export function codexCliScenarios(): readonly BlackboxScenario[] {
  loaded ??= loadScenarioFamily('codex-cli');
  return loaded;
}

let shared: readonly BlackboxScenario[] | undefined;
/** The shared-credential scenarios (scenarios/blackbox/shared-credential/), loaded once: several codex processes on one CODEX_HOME, judged by rule. */
export function sharedCredentialScenarios(): readonly BlackboxScenario[] {
  shared ??= loadScenarioFamily('shared-credential');
  return shared;
}

/** The files of the shared-credential scenarios whose judge names one of `rules` (all of them when `rules` is absent). */
export function sharedCredentialScenarioFiles(rules?: readonly string[]): string[] {
  const dir = join(BLACKBOX_SCENARIO_DIR, 'shared-credential');
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => join(dir, n))
    .filter((f) => rules === undefined || rulesJudgedBy(loadScenarioFile(f)).some((id) => rules.includes(id)));
}

/** Every scenario the real binary plays: the cases, then the shared-credential scenarios. */
export function codexBinaryScenarios(): readonly BlackboxScenario[] {
  return [...codexCliScenarios(), ...sharedCredentialScenarios()];
}

/** The rules a scenario judged by rule (`judge.kind: rules`) names. */
export function rulesJudgedBy(s: BlackboxScenario): readonly string[] {
  return s.judge.kind === 'rules' ? s.judge.rules : [];
}

export function codexCliCaseIds(): readonly CodexCliCaseId[] {
  return codexCliScenarios().map((s) => s.id);
}

export function codexCliScenario(id: string): BlackboxScenario {
  const found = codexCliScenarios().find((s) => s.id === id);
  if (found === undefined) throw new ConformanceInputError('USAGE', `"${id}" is not a codex-cli case.`, `Use one of ${codexCliCaseIds().join(', ')} (scenarios/blackbox/codex-cli/).`);
  return found;
}

export function codexCliCase(id: string): CodexCliCase {
  return codexCliCaseView(codexCliScenario(id));
}

// ---------------------------------------------------------------- what the binary must send

/**
 * What the judge expects of one case's run, from the seeded credentials. Raw credentials stay in
 * memory in the namespaced process; anything printed goes through scrubSecrets / fingerprint().
 */
export interface RunExpectation {
  readonly caseId: string;
  readonly mode: AuthMode;
  /** The bearer token every request must carry (raw, in memory only), when one does not change. */
  readonly bearer?: string;
  readonly accountId?: string;
  readonly plan?: string;
  readonly isFedramp: boolean;
  readonly agentRuntimeId?: string;
  /** The identity JWT does not verify against the JWKS (AGENT.JWT.001 expects a refusal). */
  readonly forgedJwt: boolean;
  /** Apps tool names of the account (CACHE.SWITCH.*: the tools the binary may offer). */
  readonly appsTools?: readonly string[];
  /** The refresh token handed to the binary (raw, in memory only). */
  readonly refreshToken?: string;
  /** Switch cases: the Bearer token of this turn's account (raw, in memory only). */
  readonly turnBearer?: string;
  /**
   * The Apps tools cache key of this identity, as the source serializes it before hashing the disk
   * file name: `{"account_id","chatgpt_user_id","is_workspace_account"}` (CACHE.KEY.001).
   */
  readonly appsCacheKey?: string;
}

/** serde_json of `ConnectorRuntimeContextKey { account_id, chatgpt_user_id, is_workspace_account }` (field order kept). */
export function appsCacheKeyJson(account: { readonly id: string; readonly chatgptUserId: string; readonly isWorkspace: boolean }): string {
  return JSON.stringify({ account_id: account.id, chatgpt_user_id: account.chatgptUserId, is_workspace_account: account.isWorkspace });
}

/**
 * The expectation for a login: the token it must carry on every request when that token is not
 * expected to change (an API key, a PAT, fresh managed tokens, host tokens the backend accepts);
 * in a case where a second account takes over, each turn's own token (`turnBearer`) instead.
 */
export function expectationFor(view: CodexCliCase, c: SeededCredential, switching: boolean): RunExpectation {
  const base = { caseId: view.id, mode: view.mode, forgedJwt: view.forgedJwt === true } as const;
  if (c.kind === 'apiKey') return { ...base, bearer: c.apiKey, isFedramp: false };
  const a = c.account;
  const identity = { accountId: a.id, plan: a.plan, isFedramp: a.isFedramp };
  const apps = { appsTools: a.appsTools.map((x) => x.name), appsCacheKey: appsCacheKeyJson(a) };
  const token = (t: string | undefined) => (t === undefined ? {} : switching ? { turnBearer: t } : { bearer: t });
  switch (c.kind) {
    case 'chatgptTokens':
      return { ...base, ...token(c.access.kind === 'fresh' ? c.accessToken : undefined), ...identity, ...apps, refreshToken: c.refreshToken };
    case 'hostTokens':
      // A host token the backend refuses is replaced by the host's refresh answer: no fixed token, no Apps identity judged.
      return view.hostRefresh === true ? { ...base, ...identity } : { ...base, ...token(c.accessToken), ...identity, ...apps };
    case 'personalAccessToken':
      return { ...base, ...token(c.token), ...identity, ...apps };
    case 'agentIdentity':
      return { ...base, ...identity, agentRuntimeId: c.runtimeId, ...apps };
  }
}
