import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ConformanceInputError } from '../../errors.js';
import { codexCliCaseView } from '../judges/codex-cli/case-view.js';
import { actorEnvProblem } from './actor-env.js';
import { flattenSteps, loadScenarioFamily, loadScenarioFile, parseScenario } from './load-scenario.js';

const testdata = (name: string): string => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));

describe('black-box scenarios as data (schemas/scenario/v1.json)', () => {
  it('loads the codex-cli and ecosystem families with unique ids', () => {
    expect(loadScenarioFamily('codex-cli').map((s) => s.id)).toHaveLength(31);
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
    for (const c of cases) refusalOf(c);
  });

  it('HDR.BEARER.001 set-up: authMode "apikey" needs ChatGPT tokens and an apiKey beside them, else exit 2 with a Fix (corpus B5)', () => {
    const s = loadScenarioFile(fileURLToPath(new URL('../../../scenarios/blackbox/codex-cli/28-apiKeyBesideTokens.json', import.meta.url)));
    expect(s.homes[0]?.login).toEqual({ kind: 'credential', credential: 'tokensA', apiKey: 'key', authMode: 'apikey' });
    const refused: unknown[] = [
      { ...s, homes: [{ id: 'home', login: { kind: 'credential', credential: 'tokensA', authMode: 'apikey' } }] },
      { ...s, homes: [{ id: 'home', login: { kind: 'credential', credential: 'key', apiKey: 'key', authMode: 'apikey' } }] },
      { ...s, homes: [{ id: 'home', login: { kind: 'credential', credential: 'tokensA', apiKey: 'key', authMode: 'chatgpt' } }] },
    ];
    for (const c of refused) refusalOf(c);
  });

  it('URL.ENVBASE.001 set-up: a codex actor takes env the harness does not own; owned names and secrets are refused with a Fix', () => {
    const s = loadScenarioFile(fileURLToPath(new URL('../../../scenarios/blackbox/codex-cli/22-openaiBaseUrlEnv.json', import.meta.url)));
    expect(s.actors[0]).toMatchObject({ kind: 'codexExec', env: { OPENAI_BASE_URL: 'https://codex.tenant-mock.test/v1' } });
    expect(codexCliCaseView(s).scoping).toEqual({ envOpenaiBaseUrl: 'https://codex.tenant-mock.test/v1' });
    const apps = loadScenarioFile(fileURLToPath(new URL('../../../scenarios/blackbox/codex-cli/24-apiKeyAppsOn.json', import.meta.url)));
    expect(apps.homes[0]?.config).toEqual({ appsFeature: true });
    expect(codexCliCaseView(apps).scoping).toBeUndefined();
    expect(actorEnvProblem({ RUST_LOG: 'info' })).toBeUndefined();
    expect(actorEnvProblem({ CODEX_HOME: '/tmp/x' })?.kind).toBe('harnessOwned');
    expect(actorEnvProblem({ MY_API_KEY: 'x' })?.kind).toBe('secretName');
    expect(actorEnvProblem({ EXTRA: 'sk-proj-abcdefghijkl' })?.kind).toBe('secretValue');
    expect(actorEnvProblem({ lower: 'x' })?.kind).toBe('badName');
    const refused: unknown[] = [
      { ...s, actors: [{ id: 'codex', kind: 'codexExec', home: 'home', env: { OPENAI_API_KEY: 'x' } }] },
      { ...s, actors: [{ id: 'codex', kind: 'codexExec', home: 'home', env: { EXTRA_HEADER: 'Bearer abcdefgh' } }] },
      { ...s, actors: [{ id: 'codex', kind: 'codexExec', home: 'home', env: { OPENAI_BASE_URL: 7 } }] },
    ];
    for (const c of refused) expect(refusalOf(c)).not.toContain('abcdefgh');
  });

  it('GATE.USAGE.001 set-up: a codexTui actor takes start, tuiPrompt and stop, and only those; its env is checked like any codex actor', () => {
    const s = loadScenarioFile(fileURLToPath(new URL('../../../scenarios/blackbox/codex-cli/30-tuiUsageCustomProvider.json', import.meta.url)));
    expect(s.actors[0]).toEqual({ id: 'tui', kind: 'codexTui', home: 'home' });
    expect(codexCliCaseView(s)).toMatchObject({ flow: 'tui', scoping: { modelProviderBaseUrl: 'https://codex.tenant-mock.test/v1' } });
    const typed = { ...s, steps: [{ kind: 'start', actor: 'tui' }, { kind: 'tuiPrompt', actor: 'tui', prompt: '/status' }, { kind: 'stop', actor: 'tui' }] };
    expect(flattenSteps(parseScenario(typed, 'ok.json').steps).map((x) => x.kind)).toEqual(['start', 'tuiPrompt', 'stop']);
    const refused: unknown[] = [
      { ...s, steps: [{ kind: 'exec', actor: 'tui' }] },
      { ...s, steps: [{ kind: 'appServerTurn', actor: 'tui' }] },
      { ...s, actors: [{ id: 'tui', kind: 'codexExec', home: 'home' }], steps: [{ kind: 'tuiPrompt', actor: 'tui', prompt: 'hi' }] },
      { ...s, steps: [{ kind: 'tuiPrompt', actor: 'tui', prompt: '' }] },
      { ...s, actors: [{ id: 'tui', kind: 'codexTui', home: 'home', env: { CODEX_HOME: '/x' } }] },
    ];
    for (const c of refused) refusalOf(c);
  });
});

/** Parses `value` as x.json, expects a ConformanceInputError naming the file with a Fix, and returns its message. */
function refusalOf(value: unknown): string {
  let error: unknown;
  try {
    parseScenario(value, 'x.json');
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConformanceInputError);
  const message = String((error as Error).message);
  expect(message).toMatch(/^x\.json: .* Fix: /s);
  return message;
}
