import { ACCOUNT_ID_HEADER } from '../../src/auth/auth-provider-for.js';
import { invokeCallsite, type InvokeContext } from '../../src/callsites/invoke.js';
import type { Outcome } from '../../src/harness/implementation.js';
import { defineMutant } from './mutant.js';

/**
 * Remote-control enrollment as before PR #29893: the auth provider's headers are applied, then the
 * caller appends `ChatGPT-Account-ID` once more (reqwest's `RequestBuilder::header` appends), so
 * the request carries the header twice and intermediaries coalesce it to `uuid, uuid`.
 */
const ENROLL = 'remote-control.enroll';

function appendAccountAgain(id: string, ctx: InvokeContext): Promise<Outcome> {
  if (id !== ENROLL) return invokeCallsite(id, ctx);
  const fetchAppending: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    const account = headers.get(ACCOUNT_ID_HEADER);
    if (account !== null) headers.append(ACCOUNT_ID_HEADER, account);
    return ctx.fetch(input, { ...init, headers });
  };
  return invokeCallsite(id, { ...ctx, fetch: fetchAppending });
}

export const enrollAccountAppended = defineMutant({
  name: 'enroll-account-appended',
  description: 'Remote-control enrollment appends ChatGPT-Account-ID after the auth provider already set it: the header goes out twice.',
  breaks: { 'codex-0.171': 'HDR.UNIQUE.001' },
  source: 'codex-rs/app-server/src/transport/remote_control/enroll.rs (PR #29893)',
  parts: { invokeCallsite: appendAccountAgain },
});
