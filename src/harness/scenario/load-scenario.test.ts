import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ConformanceInputError } from '../../errors.js';
import { flattenSteps, loadScenarioFamily, loadScenarioFile, parseScenario } from './load-scenario.js';

const testdata = (name: string): string => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));

describe('black-box scenarios as data (schemas/scenario/v1.json)', () => {
  it('loads the codex-cli and ecosystem families with unique ids', () => {
    expect(loadScenarioFamily('codex-cli').map((s) => s.id)).toHaveLength(21);
    expect(loadScenarioFamily('ecosystem').map((s) => s.id)).toHaveLength(13);
  });

  it('loads the coexistence family: each ecosystem client in both orders, its client actor naming it', () => {
    const all = loadScenarioFamily('coexistence');
    const clients = ['codex-as-api', 'openai-oauth', 'pi-ai', 'opencode-openai-codex-auth'];
    expect(all.map((s) => s.id).sort()).toEqual(clients.flatMap((c) => [`${c}-clientFirst`, `${c}-codexFirst`]).sort());
    for (const s of all) {
      const client = s.actors.find((a) => a.kind === 'client');
      expect(client?.kind === 'client' ? client.client : undefined, s.id).toBe(s.id.replace(/-(clientFirst|codexFirst)$/, ''));
      expect(s.actors.some((a) => a.kind === 'codexExec')).toBe(true);
      expect(s.judge).toEqual({ kind: 'coexistence' });
    }
  });

  it('loads multi-actor scenarios: concurrent execs, an app-server across auth.json rewrites', () => {
    const race = loadScenarioFile(testdata('two-execs-refresh-window.json'));
    expect(race.steps[0]?.kind).toBe('concurrently');
    expect(flattenSteps(race.steps).map((s) => ('actor' in s ? s.actor : s.kind))).toEqual(['codexA', 'codexB']);
    const live = loadScenarioFile(testdata('app-server-rotation.json'));
    expect(flattenSteps(live.steps).map((s) => s.kind)).toContain('writeAuthJson');
  });

  it('refuses a dangling name, a step its actor cannot take and a schema violation, each with a Fix', () => {
    const base = loadScenarioFile(testdata('app-server-rotation.json'));
    const cases: unknown[] = [
      { ...base, actors: [{ id: 'ide', kind: 'codexAppServer', home: 'nowhere' }] },
      { ...base, steps: [{ kind: 'exec', actor: 'ide' }] },
      { ...base, steps: [{ kind: 'teleport' }] },
      { ...base, mock: { ...base.mock, credentials: [...base.mock.credentials, base.mock.credentials[0]] } },
    ];
    for (const c of cases) {
      let error: unknown;
      try {
        parseScenario(c, 'x.json');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConformanceInputError);
      expect(String((error as Error).message)).toMatch(/^x\.json: .* Fix: /s);
    }
  });
});
