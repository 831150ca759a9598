import type { HttpHandler } from 'msw';
import { accountDiscoveryHandlers } from './account-discovery.js';
import { agentIdentityHandlers } from './agent-identity.js';
import { appsMcpHandlers } from './apps-mcp.js';
import { cloudTaskHandlers } from './cloud-tasks.js';
import { configHandlers } from './config.js';
import { environmentHandlers } from './environments.js';
import { fallbackHandlers } from './fallback.js';
import { fileHandlers } from './files.js';
import { modelHandlers } from './models.js';
import { oauthHandlers } from './oauth.js';
import { openaiApiHandlers } from './openai-api.js';
import { personalAccessTokenHandlers } from './personal-access-token.js';
import { pluginHandlers } from './plugins.js';
import { remoteControlHandlers } from './remote-control.js';
import { responsesHandlers } from './responses.js';
import { responsesWebSocketHandlers } from './responses-websocket.js';
import type { MockContext } from './route.js';
import { usageHandlers } from './usage.js';

export type { MockContext } from './route.js';

/** The route table of the mock backend, in match order, ending with the unhandled-request catch-all. */
export function createHandlers(ctx: MockContext): HttpHandler[] {
  return [
    ...accountDiscoveryHandlers(ctx),
    ...cloudTaskHandlers(ctx),
    ...environmentHandlers(ctx),
    ...configHandlers(ctx),
    ...remoteControlHandlers(ctx),
    ...appsMcpHandlers(ctx),
    ...pluginHandlers(ctx),
    ...modelHandlers(ctx),
    ...usageHandlers(ctx),
    ...fileHandlers(ctx),
    ...responsesWebSocketHandlers(ctx),
    ...responsesHandlers(ctx),
    ...agentIdentityHandlers(ctx),
    ...personalAccessTokenHandlers(ctx),
    ...openaiApiHandlers(ctx),
    ...oauthHandlers(ctx),
    ...fallbackHandlers(ctx),
  ];
}

/** Resource handlers without the catch-all (to compose with other handlers before a fallback). */
export function createResourceHandlers(ctx: MockContext): HttpHandler[] {
  const all = createHandlers(ctx);
  return all.slice(0, all.length - fallbackHandlers(ctx).length);
}
