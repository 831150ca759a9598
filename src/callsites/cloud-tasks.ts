import type { Callsite } from './callsite.js';
import { requireCodexBackend } from './gates.js';

/**
 * cloud tasks (`codex cloud`): the task list through the backend client
 * (`Client::list_tasks`): `/wham/tasks/list` | `/api/codex/tasks/list`.
 */
export const cloudTasksList: Callsite = {
  id: 'cloud-tasks.list',
  title: 'cloud tasks lists tasks',
  method: 'GET',
  target: 'chatgptBackend',
  path: (style) => (style === 'wham' ? '/wham/tasks/list' : '/api/codex/tasks/list'),
  gate: (auth) => requireCodexBackend(auth, 'Codex cloud tasks'),
  source: 'codex-rs/cloud-tasks/src/util.rs, codex-rs/cloud-tasks-client/src/http.rs, codex-rs/backend-client/src/client.rs',
};
