import { ruleIdsInProfile } from '../../../rules/catalogue.js';
import type { ProfileId } from '../../../rules/profiles.js';

/**
 * Third-party clients are judged under the newest contract profile. Each ecosystem check reports
 * under one catalogue rule of that profile (this table is the one place to change when a profile
 * replaces a rule by a new id); every other rule of the profile is listed with the reason no
 * client can exercise it.
 */
export const ECOSYSTEM_PROFILE: ProfileId = 'codex-0.171';

export const ECOSYSTEM_RULES = {
  bearer: 'HDR.BEARER.001',
  account: 'HDR.ACCOUNT.001',
  accountNeverEmpty: 'HDR.ACCOUNT.002',
  fedramp: 'HDR.FEDRAMP.001',
  fedrampLiteral: 'HDR.FEDRAMP.002',
  oneCredential: 'HDR.AUTH.001',
  backendAuthorized: 'HDR.BACKEND.001',
  modelBase: 'URL.MODEL.001',
  noDefaultHost: 'URL.BASE.003',
  refreshFields: 'REFRESH.REQUEST.002',
  refreshEncoding: 'REFRESH.REQUEST.003',
  proactive: 'REFRESH.PROACTIVE.002',
  onUnauthorized: 'REFRESH.401.003',
  onlyUnauthorizedRecovers: 'REFRESH.401.002',
  newTokenUsed: 'REFRESH.TOKEN.001',
  persisted: 'REFRESH.PERSIST.001',
  persistedWhole: 'REFRESH.PERSIST.003',
  permanentNotRetried: 'REFRESH.ERROR.002',
  invalidGrantPermanent: 'REFRESH.ERROR.003',
} as const;
export type EcosystemCheck = keyof typeof ECOSYSTEM_RULES;

const NO_AGENT = 'no client supports agent identities';
const NO_APPS = 'no client talks to Codex Apps (MCP)';
const NO_API_KEY = 'the clients use ChatGPT-subscription tokens only; none has an API-key mode towards the Codex backend';
const NO_CALLSITES = 'the clients make model requests only (responses, the model catalogue); none has a backend-client or ChatGPT-client callsite';
const NO_OTHER_MODES = 'no client has a personal-access-token, headers or Bedrock mode';

/** Why each rule of the profile that no check reports under cannot be exercised by these clients. */
const NO_SECOND_PROCESS = 'each rule scenario runs the client alone, so no second process shares its CODEX_HOME there; beside the real Codex the client is judged by the coexistence rows (scenarios/blackbox/coexistence/), not by these rules';

export const NOT_EXERCISABLE_REASONS: Readonly<Record<string, string>> = {
  'HDR.BEARER.002': NO_API_KEY,
  'HDR.AGENT.001': NO_AGENT,
  'HDR.AGENT.002': NO_AGENT,
  'HDR.APPS.002': NO_APPS,
  'HDR.APPS.003': NO_APPS,
  'HDR.PAT.001': NO_OTHER_MODES,
  'HDR.HEADERS.001': NO_OTHER_MODES,
  'GATE.APIKEY.001': NO_CALLSITES,
  'GATE.APIKEY.003': NO_API_KEY,
  'GATE.UPLOAD.001': 'no client uploads files',
  'GATE.APPS.001': NO_APPS,
  'GATE.PLAN.001': 'no client fetches cloud requirements',
  'GATE.AGENT.001': NO_AGENT,
  'GATE.BACKEND.001': NO_OTHER_MODES,
  'GATE.BEDROCK.001': NO_OTHER_MODES,
  'CACHE.KEY.001': 'no client keeps a Codex Apps tools cache',
  'CACHE.KEY.002': 'no client keeps a Codex Apps tools cache',
  'CACHE.SWITCH.001': 'no client keeps a Codex Apps tools cache',
  'CACHE.SWITCH.002': 'no client keeps a Codex Apps tools cache',
  'CACHE.DISK.001': 'no client keeps a Codex Apps tools cache',
  'URL.NORM.002': 'the clients take a full model base URL as given; none derives callsite paths from a ChatGPT base',
  'URL.STYLE.001': NO_CALLSITES,
  'URL.PATH.001': NO_CALLSITES,
  'URL.BASE.001': NO_CALLSITES,
  'URL.AGENT.002': NO_AGENT,
  'URL.AGENT.003': NO_AGENT,
  'URL.AGENT.004': NO_AGENT,
  'URL.APIKEY.002': NO_API_KEY,
  'URL.APPS.001': NO_APPS,
  'AGENT.ASSERT.001': NO_AGENT,
  'AGENT.ASSERT.002': NO_AGENT,
  'AGENT.ASSERT.003': NO_AGENT,
  'AGENT.ASSERT.004': NO_AGENT,
  'AGENT.ASSERT.005': NO_AGENT,
  'AGENT.ASSERT.006': NO_AGENT,
  'AGENT.TASK.002': NO_AGENT,
  'AGENT.TASK.003': NO_AGENT,
  'AGENT.TASK.004': NO_AGENT,
  'AGENT.TASK.005': NO_AGENT,
  'AGENT.TASK.006': NO_AGENT,
  'AGENT.TASK.007': NO_AGENT,
  'AGENT.JWT.001': NO_AGENT,
  'AGENT.JWT.002': NO_AGENT,
  'AGENT.JWT.003': NO_AGENT,
  'REFRESH.PERSIST.004': 'not judged yet: the ecosystem judge reads the token and last_refresh of the rewritten auth.json, not the other fields against the seeded file',
  'REFRESH.ERROR.001': 'the class a client assigns to a refresh failure is not on the wire, and no package exposes it',
  'REFRESH.EXTERNAL.001': 'no client has a host-token, API-key or agent mode (every scenario is managed ChatGPT auth, which may refresh)',
  'REFRESH.EXTERNAL.002': NO_OTHER_MODES,
  'HDR.UNIQUE.001': 'not judged yet: the ecosystem checks judge each client request by its own checks, not through the journal checker that counts repeated identity headers',
  'HDR.PROVIDER.001': 'no scenario configures a custom model provider next to a ChatGPT login',
  'GATE.WORKSPACE.001': 'no client reads forced_chatgpt_workspace_id',
  'GATE.USAGE.001': 'no client polls usage (wham/usage)',
  'URL.ROUTING.001': 'no client runs workspace routing discovery (wham/accounts/check)',
  'URL.ROUTING.002': 'no client runs workspace routing discovery (wham/accounts/check)',
  ...Object.fromEntries(
    ['SHARE.RELOAD.001', 'SHARE.RELOAD.002', 'SHARE.RELOAD.003', 'SHARE.SINGLEFLIGHT.001', 'SHARE.ADOPT.001', 'SHARE.APPS.001', 'SHARE.RACE.001', 'SHARE.WRITE.001', 'SHARE.WRITE.002', 'SHARE.WRITE.003', 'SHARE.WRITE.004'].map((id) => [id, NO_SECOND_PROCESS]),
  ),
};

/** The rules of the profile no check exercises, with the reason, in catalogue order. */
export function notExercisable(profile: ProfileId = ECOSYSTEM_PROFILE): { readonly rule: string; readonly reason: string }[] {
  const judged = new Set<string>(Object.values(ECOSYSTEM_RULES));
  return ruleIdsInProfile(profile)
    .filter((id) => !judged.has(id))
    .map((rule) => ({ rule, reason: NOT_EXERCISABLE_REASONS[rule] ?? 'not exercised by any ecosystem scenario' }));
}
