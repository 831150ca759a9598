/**
 * A reported auth bug as data (scenarios/bugs/<id>.json, schema schemas/bug/v1.json): the public
 * reports, the mechanism, the implementation that reproduces it and the fixed one, the scenario
 * and the rules it must fail. Loaded and checked here; run by run-bug.ts.
 */
import { readFileSync } from 'node:fs';
import { readdirSync } from 'node:fs';
import { basename, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConformanceInputError } from '../../errors.js';
import { ruleById } from '../../rules/catalogue.js';
import type { ProfileId } from '../../rules/profiles.js';
import { formatIssues } from '../driver/driver-schemas.js';
import { SchemaRegistry } from '../driver/schema-subset.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import type { BlackboxScenario } from '../scenario/scenario.js';

export const BUG_SCHEMA_PATH = fileURLToPath(new URL('../../../schemas/bug/v1.json', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BUGS_DIR = join(REPO_ROOT, 'scenarios/bugs');
const SCHEMA_ID = 'https://codex-auth-conformance.invalid/schemas/bug/v1.json';

export type BugClass = 'A' | 'B' | 'C' | 'D' | 'E' | 'G';

/** What a `codex-cli:`, `ecosystem:`, `mutant:`, `driver:` or `reference` argument names. */
export type BugImplementation =
  | { readonly kind: 'codexCli'; readonly arg: string; readonly version: string }
  | { readonly kind: 'ecosystem'; readonly arg: string; readonly client: string; readonly version: string }
  | { readonly kind: 'inProcess'; readonly arg: string }
  | { readonly kind: 'driver'; readonly arg: string };

export interface BugTarget {
  readonly implementation: BugImplementation;
  readonly profile?: ProfileId;
  readonly note?: string;
}

export type BugScenario =
  | { readonly kind: 'replay'; readonly seed: number; readonly runs: number; readonly path?: string }
  | { readonly kind: 'blackbox'; readonly file: string; readonly scenario: BlackboxScenario };

export interface Bug {
  readonly id: string;
  readonly corpus: string;
  readonly class: BugClass;
  readonly symptom: string;
  readonly links: readonly string[];
  readonly mechanism: string;
  readonly sources: readonly string[];
  readonly affects: BugTarget;
  readonly fixed?: BugTarget;
  readonly rules: readonly string[];
  readonly scenario: BugScenario;
  /** Path of the file, relative to the repository root. */
  readonly file: string;
}

let registry: SchemaRegistry | undefined;
function schemas(): SchemaRegistry {
  if (registry === undefined) {
    const loaded = new SchemaRegistry();
    loaded.add(JSON.parse(readFileSync(BUG_SCHEMA_PATH, 'utf8')) as Record<string, unknown>);
    registry = loaded;
  }
  return registry;
}

function bad(source: string, problem: string, fix: string): ConformanceInputError {
  return new ConformanceInputError('BAD_SCENARIO', `${source}: ${problem}`, fix);
}

/** True when parsed JSON declares itself a bug file (`"format": "bug/v1"`). */
export function isBugFile(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)['format'] === 'bug/v1';
}

export function parseBugImplementation(arg: string): BugImplementation {
  const cli = /^codex-cli:(\d+\.\d+\.\d+)$/.exec(arg);
  if (cli !== null) return { kind: 'codexCli', arg, version: cli[1]! };
  const eco = /^ecosystem:(.+)@(\d[A-Za-z0-9.-]*)$/.exec(arg);
  if (eco !== null) return { kind: 'ecosystem', arg, client: eco[1]!, version: eco[2]! };
  if (arg.startsWith('driver:')) return { kind: 'driver', arg };
  return { kind: 'inProcess', arg };
}

interface RawTarget {
  readonly implementation: string;
  readonly profile?: ProfileId;
  readonly note?: string;
}

function target(raw: RawTarget): BugTarget {
  return { implementation: parseBugImplementation(raw.implementation), ...(raw.profile === undefined ? {} : { profile: raw.profile }), ...(raw.note === undefined ? {} : { note: raw.note }) };
}

/** Validates parsed JSON as a bug entry; `source` names it in errors, `file` is its repository path. */
export function parseBug(value: unknown, source: string, file: string): Bug {
  const issues = schemas().validate(SCHEMA_ID, value);
  if (issues.length > 0) {
    throw bad(source, `does not match schemas/bug/v1.json (${formatIssues(issues.slice(0, 5)).slice(0, 600)}).`, 'write {format: "bug/v1", id, corpus, class, symptom, links, mechanism, affects, rules, scenario}; see scenarios/bugs/ for examples.');
  }
  const r = value as {
    id: string; corpus: string; class: BugClass; symptom: string; links: string[]; mechanism: string; sources?: string[];
    affects: RawTarget; fixed?: RawTarget; rules: string[];
    scenario: { kind: 'replay'; seed: number; runs: number; path?: string } | { kind: 'blackbox'; file: string };
  };
  if (!r.id.startsWith(`${r.corpus}-`) || r.corpus[0] !== r.class) {
    throw bad(source, `id ${r.id} must start with its corpus id ${r.corpus}, whose letter is its class ${r.class}.`, 'write the id as <corpus>-<slug>, e.g. C1-codex-double-slash-connectors.');
  }
  const stem = basename(file, '.json');
  if (stem !== r.id) throw bad(source, `the file is named ${stem}.json but its id is ${r.id}.`, `rename the file to ${r.id}.json.`);
  for (const rule of r.rules) if (ruleById(rule) === undefined) throw bad(source, `rule ${rule} is not in the rule catalogue.`, 'name a rule listed by `codex-auth-conformance rules`.');
  const affects = target(r.affects);
  const fixed = r.fixed === undefined ? undefined : target(r.fixed);
  let scenario: BugScenario;
  if (r.scenario.kind === 'blackbox') {
    scenario = { kind: 'blackbox', file: r.scenario.file, scenario: loadScenarioFile(join(REPO_ROOT, r.scenario.file)) };
  } else {
    scenario = r.scenario;
  }
  for (const t of [affects, ...(fixed === undefined ? [] : [fixed])]) {
    const kind = t.implementation.kind;
    if ((kind === 'codexCli' || kind === 'ecosystem') !== (scenario.kind === 'blackbox')) {
      throw bad(source, `${t.implementation.arg} needs a ${kind === 'codexCli' || kind === 'ecosystem' ? 'blackbox' : 'replay'} scenario, the file has a ${scenario.kind} one.`, 'black-box implementations (codex-cli:, ecosystem:) play a scenarios/blackbox/ file; mutants, drivers and the reference replay rules with a seed.');
    }
    if (kind === 'codexCli' && scenario.kind === 'blackbox' && scenario.scenario.family !== 'codex-cli' && scenario.scenario.family !== 'shared-credential') {
      throw bad(source, `${t.implementation.arg} plays codex-cli and shared-credential scenarios, ${scenario.file} is of family ${scenario.scenario.family}.`, 'reference a file under scenarios/blackbox/codex-cli/ or scenarios/blackbox/shared-credential/.');
    }
    if (kind === 'ecosystem' && scenario.kind === 'blackbox' && scenario.scenario.family !== 'ecosystem') {
      throw bad(source, `${t.implementation.arg} plays ecosystem scenarios, ${scenario.file} is of family ${scenario.scenario.family}.`, 'reference a file under scenarios/blackbox/ecosystem/.');
    }
  }
  return {
    id: r.id, corpus: r.corpus, class: r.class, symptom: r.symptom, links: r.links, mechanism: r.mechanism, sources: r.sources ?? [],
    affects, ...(fixed === undefined ? {} : { fixed }), rules: r.rules, scenario, file,
  };
}

export function loadBugFile(path: string): Bug {
  const abs = isAbsolute(path) ? path : join(process.cwd(), path);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(abs, 'utf8'));
  } catch (e) {
    throw bad(path, `cannot read it as JSON (${(e as Error).message.slice(0, 200)}).`, 'pass a scenarios/bugs/<id>.json file.');
  }
  return parseBug(value, path, relative(REPO_ROOT, abs));
}

/** Every entry of a corpus directory, by file name. */
export function loadBugCorpus(dir: string = BUGS_DIR): Bug[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch (e) {
    throw new ConformanceInputError('USAGE', `cannot list the corpus directory ${dir} (${(e as Error).message.slice(0, 200)}).`, 'pass --corpus scenarios/bugs (a directory of bug/v1 files).');
  }
  if (names.length === 0) throw new ConformanceInputError('USAGE', `${dir} holds no .json bug files.`, 'pass --corpus scenarios/bugs.');
  return names.map((n) => loadBugFile(join(dir, n)));
}
