import type { InstalledClient } from '../ecosystem/ecosystem-install.js';
import type { SharedRun } from '../ecosystem/ecosystem-run.js';
import type { CoexistenceResult } from '../judges/coexistence/coexistence-result.js';
import { judgeCoexistence } from '../judges/coexistence/judge-coexistence.js';
import { loadScenarioFamily } from '../scenario/load-scenario.js';
import type { BlackboxScenario } from '../scenario/scenario.js';
import { playCoexistence } from './play-coexistence.js';

/**
 * The coexistence part of `run --impl ecosystem`: for one client, every coexistence scenario whose
 * client actor names it (scenarios/blackbox/coexistence/<client>-<order>.json), played beside the
 * codex binary and judged as it goes. Passed to runEcosystem as `afterClient`.
 */
let loaded: readonly BlackboxScenario[] | undefined;
export function coexistenceScenarios(): readonly BlackboxScenario[] {
  loaded ??= loadScenarioFamily('coexistence');
  return loaded;
}

export function coexistenceScenariosFor(clientId: string): readonly BlackboxScenario[] {
  return coexistenceScenarios().filter((s) => s.actors.some((a) => a.kind === 'client' && a.client === clientId));
}

export function coexistenceRunner(codex: { readonly binaryPath: string; readonly version: string }, onResult?: (r: CoexistenceResult) => void) {
  return async (shared: SharedRun, installed: InstalledClient): Promise<readonly CoexistenceResult[]> => {
    const out: CoexistenceResult[] = [];
    for (const scenario of coexistenceScenariosFor(installed.client.id)) {
      const recording = await playCoexistence({
        mock: shared.mock,
        ...(shared.dns === undefined ? {} : { dns: shared.dns }),
        setDnsCase: shared.setDnsCase,
        clientId: installed.client.id,
        driverCommand: shared.driverCommand,
        codex,
        scenario,
        workDir: shared.workDir,
        env: shared.env,
        caCertPath: shared.caCertPath,
        timeoutMs: shared.timeoutMs,
      });
      const result = { recording, verdicts: judgeCoexistence(recording) };
      out.push(result);
      onResult?.(result);
    }
    return out;
  };
}
