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
