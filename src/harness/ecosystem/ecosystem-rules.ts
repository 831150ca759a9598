/**
 * The catalogue rule each ecosystem check reports under (one place, so a contract profile that
 * replaces a rule by a new id changes this table only), and the rules a third-party model client
 * cannot exercise, each with the reason.
 */
export const ECOSYSTEM_RULES = {
  bearer: 'HDR.BEARER.001',
  account: 'HDR.ACCOUNT.001',
  accountNeverEmpty: 'HDR.ACCOUNT.002',
  fedramp: 'HDR.FEDRAMP.001',
  fedrampLiteral: 'HDR.FEDRAMP.002',
  oneCredential: 'HDR.AUTH.001',
  backendAuthorized: 'HDR.BACKEND.001',
  base: 'URL.BASE.001',
  noDefaultHost: 'URL.BASE.002',
  refreshEncoding: 'REFRESH.REQUEST.001',
  proactive: 'REFRESH.PROACTIVE.001',
  onUnauthorized: 'REFRESH.401.001',
  onlyUnauthorizedRecovers: 'REFRESH.401.002',
  newTokenUsed: 'REFRESH.TOKEN.001',
  persisted: 'REFRESH.PERSIST.001',
  permanentNotRetried: 'REFRESH.ERROR.002',
} as const;
export type EcosystemCheck = keyof typeof ECOSYSTEM_RULES;

/** Rules no scenario of the ecosystem run can exercise, with the reason (README and reports). */
export const NOT_EXERCISABLE: readonly { readonly rule: string; readonly reason: string }[] = [
  { rule: 'HDR.BEARER.002', reason: 'the clients use ChatGPT-subscription tokens only; none has an API-key mode towards the Codex backend' },
  { rule: 'HDR.AGENT.001', reason: 'no client supports agent identities' },
  { rule: 'HDR.AGENT.002', reason: 'no client supports agent identities' },
  { rule: 'HDR.APPS.001', reason: 'no client talks to Codex Apps (MCP)' },
  { rule: 'GATE.APIKEY.001', reason: 'the clients call model endpoints only; none has a codex-backend-only callsite to gate' },
  { rule: 'GATE.APIKEY.002', reason: 'no API-key mode' },
  { rule: 'GATE.UPLOAD.001', reason: 'no file upload' },
  { rule: 'GATE.APPS.001', reason: 'no Codex Apps' },
  { rule: 'GATE.PLAN.001', reason: 'no cloud-requirements request' },
  { rule: 'GATE.AGENT.001', reason: 'no agent identities' },
  { rule: 'CACHE.KEY.001', reason: 'no Codex Apps tools cache' },
  { rule: 'CACHE.KEY.002', reason: 'no Codex Apps tools cache' },
  { rule: 'CACHE.SWITCH.001', reason: 'no Codex Apps tools cache' },
  { rule: 'CACHE.SWITCH.002', reason: 'no Codex Apps tools cache' },
  { rule: 'URL.NORM.001', reason: 'the clients take a full Codex/ChatGPT base as given; no wham/api-codex callsites to derive' },
  { rule: 'URL.STYLE.001', reason: 'no /wham or /api/codex callsites' },
  { rule: 'URL.PATH.001', reason: 'one endpoint (responses, plus the model catalogue); no callsite catalogue' },
  { rule: 'URL.AGENT.001', reason: 'no agent identities' },
  { rule: 'URL.AGENT.002', reason: 'no agent identities' },
  { rule: 'URL.APIKEY.001', reason: 'no API-key mode' },
  { rule: 'URL.APPS.001', reason: 'no Codex Apps' },
  { rule: 'AGENT.ASSERT.001', reason: 'no agent identities' },
  { rule: 'AGENT.ASSERT.002', reason: 'no agent identities' },
  { rule: 'AGENT.ASSERT.003', reason: 'no agent identities' },
  { rule: 'AGENT.ASSERT.004', reason: 'no agent identities' },
  { rule: 'AGENT.ASSERT.005', reason: 'no agent identities' },
  { rule: 'AGENT.ASSERT.006', reason: 'no agent identities' },
  { rule: 'AGENT.TASK.001', reason: 'no agent identities' },
  { rule: 'AGENT.TASK.002', reason: 'no agent identities' },
  { rule: 'AGENT.TASK.003', reason: 'no agent identities' },
  { rule: 'AGENT.JWT.001', reason: 'no agent identities' },
  { rule: 'AGENT.JWT.002', reason: 'no agent identities' },
  { rule: 'REFRESH.ERROR.001', reason: 'the error class a client assigns is not on the wire and no package exposes it' },
  { rule: 'REFRESH.EXTERNAL.001', reason: 'no client has a host-token, API-key or agent mode' },
  { rule: 'REFRESH.PERSIST.002', reason: 'Codex itself rewrites auth.json in place (FileAuthStorage::save opens it with truncate, codex-rs/login/src/auth/storage.rs@be9c0b9741e727263eca60654879477ea789577a); how each client writes is reported as an observation, not judged' },
];
