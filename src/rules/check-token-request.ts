import { inProfile } from './catalogue.js';
import type { Collector } from './journal-collector.js';
import type { ObservedRequest } from './observed-request.js';
import type { ProfileId } from './profiles.js';

/**
 * A request to the token endpoint as a refresh request: method and encoding (REFRESH.REQUEST.001
 * under pr18811; REFRESH.REQUEST.002 / .003 under codex-0.171, with the mock's 400 for a body it
 * could not read), and, when the contract's token URL is known, that it went there.
 */
export function checkTokenRequest(c: Collector, e: ObservedRequest, profile: ProfileId, tokenUrl: string | undefined): void {
  const ct = (e.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const encoding = ct === 'application/json' ? 'json' : ct === 'application/x-www-form-urlencoded' ? 'form' : 'other';
  const shownCt = JSON.stringify(e.headers['content-type'] ?? '(absent)');
  if (inProfile(profile, 'REFRESH.REQUEST.001')) {
    c.judge('REFRESH.REQUEST.001', e);
    if (e.method !== 'POST' || encoding !== 'json') c.fail('REFRESH.REQUEST.001', e, 'token refresh request', 'POST with Content-Type application/json', `${e.method} with Content-Type ${shownCt}`);
  } else {
    // The encoding production accepts is a MUST; JSON, as Codex sends, a SHOULD. The fields were
    // checked by the mock (a refresh it could not read is answered 400 invalid_request).
    c.judge('REFRESH.REQUEST.002', e);
    if (e.method !== 'POST' || encoding === 'other') c.fail('REFRESH.REQUEST.002', e, 'token refresh request', 'POST as JSON or application/x-www-form-urlencoded', `${e.method} with Content-Type ${shownCt}`);
    else if (e.verdict.status === 400 && e.verdict.reason === 'invalid_request') c.fail('REFRESH.REQUEST.002', e, 'token refresh request', 'client_id, grant_type=refresh_token and the refresh token', 'a body the token endpoint could not read (400 invalid_request)');
    c.judge('REFRESH.REQUEST.003', e);
    if (encoding !== 'json') c.fail('REFRESH.REQUEST.003', e, 'token refresh encoding', 'JSON, as Codex sends it', `Content-Type ${shownCt}`);
  }
  if (tokenUrl !== undefined && originAndPath(e.url) !== originAndPath(tokenUrl)) {
    const rule = inProfile(profile, 'REFRESH.REQUEST.001') ? 'REFRESH.REQUEST.001' : 'REFRESH.REQUEST.002';
    c.fail(rule, e, 'token endpoint', `POST ${originAndPath(tokenUrl)}`, `${e.method} ${originAndPath(e.url)}`);
  }
}

/** Origin and path of a URL (query and fragment dropped), or the text itself when it does not parse. */
function originAndPath(url: string): string {
  return URL.canParse(url) ? `${new URL(url).origin}${new URL(url).pathname}` : url;
}
