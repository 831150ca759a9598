import { HttpResponse, type HttpHandler } from 'msw';
import type { Account } from '../state/accounts.js';
import { reject } from '../verify/rejection.js';
import { backendPaths } from './paths.js';
import { accountOf, defineRoute, type MockContext } from './route.js';

/**
 * Workspace routing discovery: `GET {base}/wham/accounts/check`. The client accepts the accounts
 * either as a list or as a map `{ "<id>": { "account": {...} } }`, each entry carrying `id`,
 * `plan_type`, `workspace_backend_origin` (an HTTPS origin, no path) and
 * `account_routing_override`; it stops with "selected workspace missing from routing
 * discovery" / "workspace routing discovery missing backend origin" otherwise
 * (codex-rs/backend-client, accounts types; codex-rs/app-server account processor).
 * The list form is the default: the published binary 0.171.0 stopped with "selected workspace
 * missing from routing discovery" on the map form and completed its turn with the list form
 * (docs/real-cli.md). `?form=map` answers the map form.
 */
export function accountEntry(account: Account, origin: string): Record<string, unknown> {
  return {
    id: account.id,
    plan_type: account.plan,
    name: account.isWorkspace ? `${account.name.split(' ')[1] ?? 'Team'} Workspace` : null,
    structure: account.isWorkspace ? 'workspace' : 'personal',
    workspace_backend_origin: origin,
    account_routing_override: account.routingOverride,
  };
}

export function accountDiscoveryHandlers(ctx: MockContext): HttpHandler[] {
  return defineRoute(ctx, {
    endpoint: 'wham.accounts.check',
    method: 'GET',
    paths: backendPaths({ wham: '/wham/accounts/check', codexApi: '/accounts/check' }),
    auth: 'codexBackend',
    handle: (req) => {
      const account = accountOf(req);
      if (account === undefined) return reject(401, 'missing_credentials', 'accounts/check needs an account.');
      const origin = req.ctx.backend.options.workspaceBackendOrigin ?? req.url.origin;
      const entry = accountEntry(account, origin);
      if (req.url.searchParams.get('form') !== 'map') return HttpResponse.json({ accounts: [entry] });
      return HttpResponse.json({
        accounts: { [account.id]: { account: entry } },
        account_ordering: [account.id],
        default_account_id: account.id,
      });
    },
  });
}
