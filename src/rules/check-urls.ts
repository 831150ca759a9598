/**
 * The URL rules a recording can show, given what the user says about the client's configuration
 * (`check --chatgpt-base-url`, `--openai-base-url`): a request to the ChatGPT backend never has an
 * empty path segment (URL.NORM.*: the source trims the base's trailing `/` before appending a path
 * that starts with `/`), uses the path style of its base (URL.STYLE.001), and, with the configured
 * base known, goes to its origin and prefix (URL.BASE.001) and Codex Apps to the derived URL
 * (URL.APPS.001); model traffic goes to the configured or the constant model base (URL.MODEL.001).
 * Pure over the entries; derivations come from src/rules/contract/urls.ts.
 */
import { pickRule } from './catalogue.js';
import { contractAppsUrl, contractBackendBase, contractPathStyle, CONTRACT_CHATGPT_CODEX_BASE, CONTRACT_OPENAI_API_BASE } from './contract/urls.js';
import { endpointKind } from './endpoint-kind.js';
import { where, type ObservedRequest } from './observed-request.js';
import type { ProfileId } from './profiles.js';
import { fail, pass, type RuleResult } from './result.js';

export interface CaptureUrlOptions {
  readonly profile: ProfileId;
  /** The client's configured `chatgpt_base_url`, when the user knows it. */
  readonly chatgptBaseUrl?: string;
  /** The client's configured `openai_base_url`, when the user knows it. */
  readonly openaiBaseUrl?: string;
}

/** The URL rules `checkCaptureUrls` judges with these options (the others need a flag). */
export function captureUrlRules(options: CaptureUrlOptions): string[] {
  const rules = [pickRule(options.profile, 'URL.NORM.002', 'URL.NORM.001'), 'URL.STYLE.001', 'URL.MODEL.001'];
  if (options.chatgptBaseUrl !== undefined) rules.push('URL.BASE.001', 'URL.APPS.001');
  return rules;
}

function parse(url: string): URL | undefined {
  return URL.canParse(url) ? new URL(url) : undefined;
}

function trim(s: string): string {
  return s.replace(/\/+$/u, '');
}

const MODEL_PATH = /\/(responses|models)\/?$/;

export function checkCaptureUrls(entries: readonly ObservedRequest[], options: CaptureUrlOptions): RuleResult[] {
  const failures: RuleResult[] = [];
  const judged = new Map<string, ObservedRequest>();
  const judge = (rule: string, e: ObservedRequest) => void (judged.has(rule) ? undefined : judged.set(rule, e));
  const failOn = (rule: string, e: ObservedRequest, what: string, expected: string, actual: string) => {
    judge(rule, e);
    failures.push(fail(rule, `${what} on ${where(e)}`, expected, actual, e.caseId));
  };
  const norm = pickRule(options.profile, 'URL.NORM.002', 'URL.NORM.001');
  const configuredBase = options.chatgptBaseUrl === undefined ? undefined : contractBackendBase({ chatgptBaseUrl: options.chatgptBaseUrl });
  for (const e of [...entries].sort((a, b) => a.seq - b.seq)) {
    const url = parse(e.url);
    if (url === undefined) continue;
    const kind = endpointKind(e.url);
    const model = MODEL_PATH.test(url.pathname) && !/\/(wham|ps|connectors)\//.test(url.pathname);
    if (model) {
      judge('URL.MODEL.001', e);
      const which = MODEL_PATH.exec(url.pathname)![1]!;
      const at = `${url.origin}${trim(url.pathname)}`;
      const allowed = options.openaiBaseUrl !== undefined ? [`${trim(options.openaiBaseUrl)}/${which}`] : [`${CONTRACT_CHATGPT_CODEX_BASE}/${which}`, `${CONTRACT_OPENAI_API_BASE}/${which}`];
      if (!allowed.includes(at)) {
        failOn('URL.MODEL.001', e, 'model request target', allowed.join(' or '), `${e.method} ${at}${options.openaiBaseUrl === undefined ? ' (pass --openai-base-url if the client was configured with one)' : ''}`);
      }
      continue;
    }
    if (kind !== 'codexBackend' && kind !== 'appsMcp') continue;
    judge(norm, e);
    if (/\/\//.test(url.pathname)) {
      failOn(norm, e, 'request path', `the normalized base plus the path (${url.origin}${url.pathname.replace(/\/{2,}/g, '/')})`, `an empty path segment: ${url.pathname}`);
    }
    if (kind === 'codexBackend') {
      const base = configuredBase ?? inferredBase(url);
      if (base !== undefined && e.url.startsWith(`${base}/`)) {
        judge('URL.STYLE.001', e);
        const rest = e.url.slice(base.length).replace(/^\/+/, '/');
        const style = contractPathStyle(base);
        if (style === 'wham' && rest.startsWith('/api/codex/')) failOn('URL.STYLE.001', e, 'path style', `/wham/... under ${base}`, rest.split('?')[0]!);
        if (style === 'codexApi' && rest.startsWith('/wham/')) failOn('URL.STYLE.001', e, 'path style', `/api/codex/... under ${base}`, rest.split('?')[0]!);
      }
    }
    if (configuredBase !== undefined) {
      judge('URL.BASE.001', e);
      if (!e.url.startsWith(`${configuredBase}/`) && !(kind === 'appsMcp' && e.url.startsWith(contractAppsUrl(options.profile, { chatgptBaseUrl: options.chatgptBaseUrl })))) {
        failOn('URL.BASE.001', e, 'request target', `under the configured ChatGPT base ${configuredBase}/`, e.url);
      }
    }
    if (kind === 'appsMcp' && options.chatgptBaseUrl !== undefined) {
      judge('URL.APPS.001', e);
      const expected = contractAppsUrl(options.profile, { chatgptBaseUrl: options.chatgptBaseUrl });
      if (`${url.origin}${url.pathname}` !== expected) failOn('URL.APPS.001', e, 'Codex Apps MCP URL', expected, `${url.origin}${url.pathname}`);
    }
  }
  const failed = new Set(failures.map((f) => f.ruleId));
  const passes = [...judged].filter(([id]) => !failed.has(id)).map(([id, e]) => pass(id, `${id} held on every request it applies to (first: ${where(e)})`));
  return [...failures, ...passes];
}

/** The base a request's own URL implies: up to `/backend-api` (or `/api/codex`), else none. */
function inferredBase(url: URL): string | undefined {
  const m = /^(.*?\/backend-api)(?:\/|$)/.exec(url.pathname) ?? /^(.*?)\/api\/codex(?:\/|$)/.exec(url.pathname);
  if (m === null) return undefined;
  return `${url.origin}${m[1]!.replace(/\/+$/, '')}`;
}

