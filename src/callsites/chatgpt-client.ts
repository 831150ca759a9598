import type { Callsite } from './callsite.js';
import { requireCodexBackend } from './gates.js';

/**
 * chatgpt client (`chatgpt_get_request`, used by `get_task` for `codex apply`): GET
 * `{chatgpt_base_url}/wham/tasks/{task_id}`. The path is appended to the base as-is (no path
 * style). After PR #18811 it ensures `auth.uses_codex_backend()` ("ChatGPT backend requests
 * require Codex backend auth") before building the provider.
 */
export const EXAMPLE_TASK_ID = 'task_conformance_1';

export const chatgptGetTask: Callsite = {
  id: 'chatgpt.get-task',
  title: 'chatgpt client fetches a cloud task for apply',
  method: 'GET',
  target: 'chatgptBackend',
  path: () => `/wham/tasks/${EXAMPLE_TASK_ID}`,
  gate: (auth) => requireCodexBackend(auth, 'ChatGPT backend requests'),
  source: 'codex-rs/chatgpt/src/chatgpt_client.rs, codex-rs/chatgpt/src/get_task.rs',
};
