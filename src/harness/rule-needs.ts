/**
 * What a rule needs of the implementation and the mock before any case can judge it. A selected
 * rule that no case reached is `unsupported` (not a partial run) when the implementation does not
 * declare any auth mode the rule is about, or the mock cannot serve what the rule's cases need;
 * otherwise an unreached rule stays a real gap.
 */
import type { AuthMode } from '../auth/codex-auth.js';
import type { Implementation, ScopingConfigKey } from './implementation.js';
import type { MockControl } from './mock-control.js';

export interface RuleNeeds {
  /** Judged only on cases of one of these modes. */
  readonly anyMode?: readonly AuthMode[];
  /** Judged only where requests to the production hosts reach the mock (Codex Apps on https://chatgpt.com). */
  readonly productionHosts?: boolean;
  /** Judged only on cases that set this config key (the implementation must declare it). */
  readonly configKey?: ScopingConfigKey;
}

export const RULE_NEEDS: Readonly<Partial<Record<string, RuleNeeds>>> = {
  'HDR.PAT.001': { anyMode: ['personalAccessToken'] },
  'HDR.HEADERS.001': { anyMode: ['headers'] },
  'GATE.BACKEND.001': { anyMode: ['personalAccessToken', 'headers'] },
  'GATE.BEDROCK.001': { anyMode: ['bedrockApiKey'] },
  'REFRESH.EXTERNAL.002': { anyMode: ['personalAccessToken', 'headers', 'bedrockApiKey'] },
  'HDR.APPS.002': { productionHosts: true },
  'SHARE.APPS.001': { productionHosts: true },
  'HDR.PROVIDER.001': { configKey: 'modelProvider' },
  'GATE.USAGE.001': { configKey: 'modelProvider' },
  'GATE.WORKSPACE.001': { configKey: 'forcedChatgptWorkspaceIds' },
};

/** Why a rule cannot be judged here, or undefined when it can. */
export function unsupportedBecause(ruleId: string, implementation: Pick<Implementation, 'capabilities'>, mock: Pick<MockControl, 'productionHosts'>): string | undefined {
  const needs = RULE_NEEDS[ruleId];
  if (needs === undefined) return undefined;
  if (needs.anyMode !== undefined && !needs.anyMode.some((m) => implementation.capabilities.authModes.includes(m))) {
    return `the implementation declares none of the auth modes ${ruleId} is judged on (${needs.anyMode.join(', ')})`;
  }
  if (needs.configKey !== undefined && !(implementation.capabilities.configKeys ?? []).includes(needs.configKey)) {
    return `the implementation does not declare the config key ${needs.configKey} (capabilities.configKeys), which the cases of ${ruleId} set`;
  }
  if (needs.productionHosts === true && !mock.productionHosts) {
    return `${ruleId} is judged on https://chatgpt.com, which this mock transport does not serve (run in process, or with the production hosts mapped)`;
  }
  return undefined;
}

/**
 * What a rule is about, by capability: the auth modes it is judged on, the callsite it needs,
 * the introspection it reads (keys are rule ids or id prefixes ending in `.`). Used to name a
 * rule's own missing capability when it is unsupported: a case that lacks several capabilities
 * reports them all, and each rule keeps the one it is about (HDR.AGENT.001 the agentIdentity
 * mode, GATE.UPLOAD.001 the openai-files.upload callsite), not the first the case happened to lack.
 */
export interface RuleSubject {
  readonly modes?: readonly AuthMode[];
  readonly callsites?: readonly string[];
  readonly introspect?: readonly string[];
}

export const RULE_SUBJECTS: Readonly<Record<string, RuleSubject>> = {
  'HDR.AGENT.': { modes: ['agentIdentity'] },
  'GATE.AGENT.001': { modes: ['agentIdentity'] },
  'AGENT.': { modes: ['agentIdentity'] },
  'URL.AGENT.': { modes: ['agentIdentity'] },
  'HDR.BEARER.002': { modes: ['apiKey'] },
  'GATE.APIKEY.': { modes: ['apiKey'] },
  'URL.APIKEY.': { modes: ['apiKey'] },
  'HDR.PAT.001': { modes: ['personalAccessToken'] },
  'HDR.HEADERS.001': { modes: ['headers'] },
  'GATE.BACKEND.001': { modes: ['personalAccessToken', 'headers'] },
  'GATE.BEDROCK.001': { modes: ['bedrockApiKey'] },
  'REFRESH.EXTERNAL.002': { modes: ['personalAccessToken', 'headers', 'bedrockApiKey'] },
  'GATE.UPLOAD.001': { callsites: ['openai-files.upload'] },
  'GATE.PLAN.001': { callsites: ['cloud-requirements.fetch'] },
  'HDR.APPS.': { callsites: ['apps-mcp.tools-list'] },
  'GATE.APPS.001': { callsites: ['apps-mcp.tools-list'] },
  'URL.APPS.001': { callsites: ['apps-mcp.tools-list'] },
  'CACHE.': { callsites: ['apps-mcp.tools-list'] },
  'REFRESH.ERROR.001': { introspect: ['lastRefreshFailure'] },
};

export function ruleSubject(ruleId: string): RuleSubject | undefined {
  const key = Object.keys(RULE_SUBJECTS).filter((k) => ruleId === k || (k.endsWith('.') && ruleId.startsWith(k))).sort((a, b) => b.length - a.length)[0];
  return key === undefined ? undefined : RULE_SUBJECTS[key];
}

/**
 * The rule's own missing capability given what the implementation declares, or undefined when it
 * declares everything the rule is about (then the case's own reason stands).
 */
export function ownGap(ruleId: string, capabilities: Implementation['capabilities']): string | undefined {
  const subject = ruleSubject(ruleId);
  if (subject === undefined) return undefined;
  if (subject.modes !== undefined && !subject.modes.some((m) => capabilities.authModes.includes(m))) {
    return subject.modes.length === 1 ? `implementation does not support auth mode ${subject.modes[0]!}` : `implementation supports none of the auth modes ${subject.modes.join(', ')}`;
  }
  const callsite = subject.callsites?.find((c) => !capabilities.callsites.includes(c));
  if (callsite !== undefined) return `implementation does not offer callsite ${callsite}`;
  const item = subject.introspect?.find((i) => !capabilities.introspect.includes(i));
  if (item !== undefined) return `implementation does not volunteer introspection of ${item}`;
  return undefined;
}
