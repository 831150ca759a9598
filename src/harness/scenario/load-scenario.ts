import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConformanceInputError } from '../../errors.js';
import { formatIssues } from '../driver/driver-schemas.js';
import { SchemaRegistry } from '../driver/schema-subset.js';
import { actorEnvProblem, describeEnvProblem } from './actor-env.js';
import { SCENARIO_SCHEMA_ID, type ActorKind, type BlackboxScenario, type ScenarioFamily, type Step } from './scenario.js';

/**
 * Loads black-box scenarios (scenarios/blackbox/<family>/*.json): the JSON Schema
 * (schemas/scenario/v1.json) first, then what a schema cannot say: names are unique, every
 * reference resolves, and each step names an actor of a kind that can take it. A bad file is
 * a typed error (exit 2) naming the file, the problem and the fix.
 */
export const SCENARIO_SCHEMA_PATH = fileURLToPath(new URL('../../../schemas/scenario/v1.json', import.meta.url));
export const BLACKBOX_SCENARIO_DIR = fileURLToPath(new URL('../../../scenarios/blackbox/', import.meta.url));

let registry: SchemaRegistry | undefined;
function schemas(): SchemaRegistry {
  if (registry === undefined) {
    const loaded = new SchemaRegistry();
    loaded.add(JSON.parse(readFileSync(SCENARIO_SCHEMA_PATH, 'utf8')) as Record<string, unknown>);
    registry = loaded;
  }
  return registry;
}

function bad(source: string, problem: string, fix: string): ConformanceInputError {
  return new ConformanceInputError('BAD_SCENARIO', `${source}: ${problem}`, fix);
}

/** Step kinds each actor kind takes. */
const STEPS_FOR: Readonly<Record<ActorKind, readonly Step['kind'][]>> = {
  codexExec: ['exec'],
  codexAppServer: ['start', 'stop', 'appServerLogin', 'appServerTurn', 'appServerRequest'],
  codexTui: ['start', 'stop', 'tuiPrompt'],
  client: ['start', 'stop', 'invoke', 'introspect'],
  driver: ['start', 'stop', 'invoke', 'introspect'],
};

/** Every step, `concurrently` groups flattened, in order. */
export function flattenSteps(steps: readonly Step[]): Step[] {
  return steps.flatMap((s) => (s.kind === 'concurrently' ? flattenSteps(s.steps) : [s]));
}

function checkReferences(s: BlackboxScenario, source: string): void {
  const unique = (what: string, ids: readonly string[]): Set<string> => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) throw bad(source, `${what} "${id}" is defined twice.`, `give each ${what} its own id.`);
      seen.add(id);
    }
    return seen;
  };
  const accounts = unique('account', s.mock.accounts.map((a) => a.id));
  const credentials = unique('credential', s.mock.credentials.map((c) => c.id));
  const homes = unique('home', s.homes.map((h) => h.id));
  unique('actor', s.actors.map((a) => a.id));
  const need = (what: string, set: Set<string>, name: string, where: string): void => {
    if (!set.has(name)) throw bad(source, `${where} names ${what} "${name}", which the file does not define.`, `define it in ${what === 'home' ? 'homes' : what === 'account' ? 'mock.accounts' : 'mock.credentials'} or fix the name (defined: ${[...set].join(', ') || 'none'}).`);
  };
  for (const c of s.mock.credentials) if (c.kind !== 'apiKey') need('account', accounts, c.account, `credential "${c.id}"`);
  for (const h of s.homes) if (h.login.kind === 'credential') need('credential', credentials, h.login.credential, `home "${h.id}"`);
  for (const h of s.homes) if (h.login.kind === 'credential' && h.login.apiKey !== undefined) need('credential', credentials, h.login.apiKey, `home "${h.id}" (apiKey)`);
  for (const h of s.homes) {
    if (h.login.kind !== 'credential' || h.login.authMode === undefined) continue;
    const tokens = s.mock.credentials.find((c) => c.id === (h.login.kind === 'credential' ? h.login.credential : ''));
    if (h.login.apiKey === undefined || tokens?.kind !== 'chatgptTokens') {
      throw bad(source, `home "${h.id}" says authMode "${h.login.authMode}" without ChatGPT tokens and an apiKey beside them.`, 'give the login a chatgptTokens credential and an apiKey credential, or drop authMode (an API-key login alone is {kind: credential, credential: <apiKey>}).');
    }
  }
  const actors = new Map(s.actors.map((a) => [a.id, a]));
  for (const a of s.actors) {
    need('home', homes, a.home, `actor "${a.id}"`);
    if (a.kind === 'codexAppServer' && a.refreshAnswer !== undefined) need('credential', credentials, a.refreshAnswer, `actor "${a.id}"`);
    if ((a.kind === 'codexExec' || a.kind === 'codexAppServer' || a.kind === 'codexTui') && a.env !== undefined) {
      const problem = actorEnvProblem(a.env);
      if (problem !== undefined) throw bad(source, `actor "${a.id}": ${describeEnvProblem(problem)}.`, 'set only variables the harness does not own, with values that are not secrets (a URL, a flag); logins go in mock.credentials and homes.');
    }
  }
  flattenSteps(s.steps).forEach((step, i) => {
    const where = `step ${i + 1} (${step.kind})`;
    if ('actor' in step) {
      const actor = actors.get(step.actor);
      if (actor === undefined) throw bad(source, `${where} names actor "${step.actor}", which the file does not define.`, `define it in actors (defined: ${[...actors.keys()].join(', ')}).`);
      if (!STEPS_FOR[actor.kind].includes(step.kind)) {
        throw bad(source, `${where}: actor "${actor.id}" is a ${actor.kind}, which takes ${STEPS_FOR[actor.kind].join(', ')}, not ${step.kind}.`, `give the step an actor of a kind that takes it.`);
      }
    }
    if ('home' in step) need('home', homes, step.home, where);
    if (step.kind === 'appServerLogin' || step.kind === 'revokeAccessToken') need('credential', credentials, step.credential, where);
    if ((step.kind === 'writeAuthJson' || step.kind === 'writeAuthJsonAt401') && step.write.kind !== 'logout') need('credential', credentials, step.write.credential, where);
  });
}

/** Validates parsed JSON as a black-box scenario; `source` names it in errors. */
export function parseScenario(value: unknown, source: string): BlackboxScenario {
  const issues = schemas().validate(SCENARIO_SCHEMA_ID, value);
  if (issues.length > 0) {
    throw bad(source, `does not match schemas/scenario/v1.json (${formatIssues(issues.slice(0, 5)).slice(0, 600)}).`, 'write {format, id, family, title, mock, homes, actors, steps, judge}; see scenarios/blackbox/ for examples and src/harness/scenario/scenario.ts for each field.');
  }
  const s = value as BlackboxScenario;
  checkReferences(s, source);
  return s;
}

export function loadScenarioFile(path: string): BlackboxScenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConformanceInputError('BAD_SCENARIO', `Cannot read scenario ${path}.`, 'pass the path of a scenarios/blackbox/**/*.json file.', { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw bad(path, `is not JSON (${e instanceof Error ? e.message : String(e)}).`, 'fix the JSON syntax.');
  }
  return parseScenario(json, path);
}

/** The scenarios of one family, sorted by file name; their ids must be unique. */
export function loadScenarioFamily(family: ScenarioFamily, dir: string = join(BLACKBOX_SCENARIO_DIR, family)): BlackboxScenario[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch (e) {
    throw new ConformanceInputError('BAD_SCENARIO', `Cannot list scenarios in ${dir}.`, `create ${relative(process.cwd(), dir) || dir} with one JSON file per scenario.`, { cause: e });
  }
  const out: BlackboxScenario[] = [];
  const ids = new Set<string>();
  for (const n of names) {
    const s = loadScenarioFile(join(dir, n));
    if (s.family !== family) throw bad(join(dir, n), `has family "${s.family}" but sits in the ${family} folder.`, `move it to scenarios/blackbox/${s.family}/ or fix its family.`);
    if (ids.has(s.id)) throw bad(join(dir, n), `repeats scenario id "${s.id}".`, 'give each scenario of a family its own id.');
    ids.add(s.id);
    out.push(s);
  }
  return out;
}
