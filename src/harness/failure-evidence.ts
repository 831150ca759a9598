import { ConformanceInputError } from '../errors.js';

/**
 * What identifies one failure of a rule, as an expectation file pins it (`knownFailures[].failures`),
 * in the manner web-platform tests record expectations per subtest:
 * - `case`: the case id (a scenario of the real-CLI or ecosystem run) or the case as a property
 *   shows it (`chatgpt plus, access token expired, … → cloud-tasks.list twice`); `*` stands for
 *   any run of characters;
 * - `request`: the request it was seen on, `METHOD /path` without origin or query (the mock's port
 *   changes from run to run); `*` stands for one path segment;
 * - `field`: the header (lower case) or field the rule read.
 * A pin matches a failure when every part the pin gives matches; parts it leaves out match anything.
 */
export interface FailurePin {
  readonly case?: string;
  readonly request?: string;
  readonly field?: string;
}

/** What a failure line shows of the same three parts (derived from the result, also from recorded streams). */
export interface FailureEvidence {
  readonly case?: string;
  /** The counterexample a property shrank to, when a property found it. */
  readonly counterexample?: string;
  readonly request?: string;
  readonly field?: string;
}

/** The parts of a case result the evidence is read from (the stream's own fields). */
export interface FailureLine {
  readonly ruleId: string;
  readonly caseId: string;
  readonly message: string;
  readonly actual?: string;
  readonly counterexample?: string;
}

const METHODS = 'GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS';
const REQUEST_RE = new RegExp(`\\b(${METHODS}) (https?://[^\\s,;)"'\`]+|/[^\\s,;)"'\`]*)`);

/**
 * Case ids the property runner makes up (`requests-1-7`, `requests-counterexample-1`,
 * `requests/*`): they number cases of one run and identify nothing across runs.
 */
export function isGeneratedCaseId(caseId: string): boolean {
  return /-counterexample-\d+$/.test(caseId) || /-\d+-\d+$/.test(caseId) || caseId.endsWith('/*');
}

/** `METHOD /path` of the first request a text names, origin and query dropped; undefined when it names none. */
export function requestIn(text: string): string | undefined {
  const m = REQUEST_RE.exec(text);
  if (m === null) return undefined;
  // A message goes on after the URL (`…/tasks/list: expected …`): its punctuation is not the path's.
  const target = (m[2] ?? '').replace(/[:.,]+$/, '');
  let path: string;
  if (target.startsWith('/')) {
    path = target.split(/[?#]/)[0] ?? target;
  } else {
    try {
      path = new URL(target).pathname;
    } catch {
      return undefined;
    }
  }
  // The port mock serves each case under its own prefix (`/__case/<case id>/backend-api/…`): not part of what the client asked for.
  return `${m[1]} ${path.replace(/^\/__case\/[^/]+(?=\/)/, '')}`;
}

/**
 * The field a failure message names: checkers write `<RULE> <what>: expected …` and a header or
 * field check says `<name> on <request>` (`chatgpt-account-id on GET http://…/wham/tasks/list`).
 */
export function fieldIn(ruleId: string, message: string): string | undefined {
  if (!message.startsWith(`${ruleId} `)) return undefined;
  const m = /^([A-Za-z][\w.-]*) on /.exec(message.slice(ruleId.length + 1));
  return m?.[1]?.toLowerCase();
}

export function evidenceOf(line: FailureLine): FailureEvidence {
  const request = requestIn(line.actual ?? '') ?? requestIn(line.message);
  const field = fieldIn(line.ruleId, line.message);
  return {
    ...(isGeneratedCaseId(line.caseId) ? {} : { case: line.caseId }),
    ...(line.counterexample !== undefined ? { counterexample: line.counterexample } : {}),
    ...(request !== undefined ? { request } : {}),
    ...(field !== undefined ? { field } : {}),
  };
}

/** The pin `run --update-expectations` writes for a failure: what it shows that holds across runs. */
export function pinOf(evidence: FailureEvidence): FailurePin {
  // A property failure that names no request and no field is identified by its case as shown.
  const shownCase = evidence.case ?? (evidence.request === undefined && evidence.field === undefined ? evidence.counterexample : undefined);
  return {
    ...(shownCase !== undefined ? { case: shownCase } : {}),
    ...(evidence.request !== undefined ? { request: evidence.request } : {}),
    ...(evidence.field !== undefined ? { field: evidence.field } : {}),
  };
}

export function pinMatches(pin: FailurePin, evidence: FailureEvidence): boolean {
  if (pin.case !== undefined && !textMatches(pin.case, evidence.case) && !textMatches(pin.case, evidence.counterexample)) return false;
  if (pin.field !== undefined && pin.field.toLowerCase() !== evidence.field) return false;
  if (pin.request !== undefined && (evidence.request === undefined || !requestMatches(pin.request, evidence.request))) return false;
  return true;
}

/** A case pin: the case id or shown case, `*` standing for any run of characters. */
function textMatches(pattern: string, text: string | undefined): boolean {
  if (text === undefined) return false;
  if (!pattern.includes('*')) return pattern === text;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
  return re.test(text);
}

function requestMatches(pattern: string, request: string): boolean {
  const [pm, pp] = splitRequest(pattern);
  const [rm, rp] = splitRequest(request);
  if (pm !== rm) return false;
  const ps = pp.split('/');
  const rs = rp.split('/');
  return ps.length === rs.length && ps.every((seg, i) => seg === '*' || seg === rs[i]);
}

function splitRequest(text: string): [string, string] {
  const space = text.indexOf(' ');
  return [text.slice(0, space).toUpperCase(), text.slice(space + 1)];
}

/** Evidence as one line for messages: `case X, POST /path, field f` (parts it lacks left out). */
export function showEvidence(e: FailureEvidence | FailurePin): string {
  const parts = [
    e.case !== undefined ? `case ${e.case}` : '',
    'counterexample' in e && e.counterexample !== undefined && e.case === undefined ? `case ${e.counterexample}` : '',
    e.request ?? '',
    e.field !== undefined ? `field ${e.field}` : '',
  ].filter((p) => p !== '');
  return parts.length === 0 ? '(nothing identifying)' : parts.join(', ');
}

/** Reads one pin of an expectation file (typed error naming where it is wrong). */
export function parseFailurePin(value: unknown, where: string): FailurePin {
  const fix = 'write {"case": "<case id>", "request": "POST /backend-api/codex/responses", "field": "chatgpt-account-id"} (any of the three, at least one).';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConformanceInputError('BAD_SCENARIO', `${where} is not an object.`, fix);
  const o = value as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => k !== 'case' && k !== 'request' && k !== 'field');
  if (unknown.length > 0) throw new ConformanceInputError('BAD_SCENARIO', `${where} has unknown key(s) ${unknown.join(', ')}.`, fix);
  const out: { case?: string; request?: string; field?: string } = {};
  for (const key of ['case', 'request', 'field'] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.trim() === '') throw new ConformanceInputError('BAD_SCENARIO', `${where}.${key} is not a non-empty string.`, fix);
    out[key] = v;
  }
  if (out.request !== undefined && !new RegExp(`^(${METHODS}) /\\S*$`).test(out.request)) {
    throw new ConformanceInputError('BAD_SCENARIO', `${where}.request ${JSON.stringify(out.request.slice(0, 80))} is not "METHOD /path".`, 'write the method in capitals and the path without origin or query, e.g. "GET /backend-api/wham/tasks/list" (`*` for one segment).');
  }
  if (out.case === undefined && out.request === undefined && out.field === undefined) throw new ConformanceInputError('BAD_SCENARIO', `${where} pins nothing.`, fix);
  return out;
}
