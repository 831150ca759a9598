import { HttpResponse, type HttpHandler } from 'msw';
import { accountEntry } from '../../../mocks/handlers/account-discovery.js';
import { backendPaths } from '../../../mocks/handlers/paths.js';
import { accountOf, defineRoute, type MockContext } from '../../../mocks/handlers/route.js';
import { reject } from '../../../mocks/verify/rejection.js';

/**
 * Workspace routing discovery answered in the list form `{"accounts":[{id, plan_type,
 * workspace_backend_origin, account_routing_override, ...}]}`. The published binary 0.171.0
 * stopped with "selected workspace missing from routing discovery" on the mock's default map
 * form and completed its turn with the list form (docs/real-cli.md §7; the account lookup is
 * `response.accounts.into_iter().filter(|a| a.id == account_id)` in the app-server's workspace
 * routing). Prepended with `HttpMock.use()` for real-CLI runs only; journalled like every route.
 */
export function accountsCheckListForm(ctx: MockContext): HttpHandler[] {
  return defineRoute(ctx, {
    endpoint: 'wham.accounts.check',
    method: 'GET',
    paths: backendPaths({ wham: '/wham/accounts/check', codexApi: '/accounts/check' }),
    auth: 'codexBackend',
    handle: (req) => {
      const account = accountOf(req);
      if (account === undefined) return reject(401, 'missing_credentials', 'accounts/check needs an account.');
      const origin = req.ctx.backend.options.workspaceBackendOrigin ?? req.url.origin;
      return HttpResponse.json({ accounts: [accountEntry(account, origin)] });
    },
  });
}
