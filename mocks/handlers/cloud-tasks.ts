import type { HttpHandler } from 'msw';
import type { Account } from '../state/accounts.js';
import { reject } from '../verify/rejection.js';
import { backendPaths } from './paths.js';
import { accountOf, defineRoute, isObject, parseJsonBody, reply, type MockContext } from './route.js';

/** Cloud tasks (codex-rs/backend-client/src/client.rs: list_tasks, get_task_details, create_task). */
function taskItem(account: Account, task: Account['tasks'][number]): Record<string, unknown> {
  return {
    id: task.id,
    title: task.title,
    created_at: task.createdAt / 1000,
    updated_at: task.createdAt / 1000,
    has_generated_title: true,
    archived: false,
    has_unread_turn: false,
    task_status_display: { environment_label: account.environments.find((e) => e.id === task.environmentId)?.label ?? null },
    pull_requests: [],
  };
}

export function cloudTaskHandlers(ctx: MockContext): HttpHandler[] {
  return [
    ...defineRoute(ctx, {
      endpoint: 'wham.tasks.list',
      method: 'GET',
      paths: backendPaths({ wham: '/wham/tasks/list', codexApi: '/tasks/list' }),
      auth: 'codexBackend',
      handle: (req) => {
        const account = accountOf(req);
        if (account === undefined) return reject(401, 'missing_credentials', 'Cloud tasks need an account.');
        const env = req.url.searchParams.get('environment_id');
        const items = account.tasks.filter((t) => env === null || t.environmentId === env).map((t) => taskItem(account, t));
        return reply.json({ items, cursor: null });
      },
    }),
    ...defineRoute(ctx, {
      endpoint: 'wham.tasks.create',
      method: 'POST',
      paths: backendPaths({ wham: '/wham/tasks', codexApi: '/tasks' }),
      auth: 'codexBackend',
      handle: (req) => {
        const account = accountOf(req);
        if (account === undefined) return reject(401, 'missing_credentials', 'Cloud tasks need an account.');
        const parsed = parseJsonBody(req.body);
        if (!parsed.ok) return parsed.rejection;
        if (!isObject(parsed.value)) return reject(400, 'invalid_request', 'The task body must be a JSON object.');
        const environment = account.environments[0];
        const task = {
          id: `task_e_${req.ctx.backend.now().toString(36)}${account.tasks.length}`,
          title: 'created by the mock backend',
          environmentId: environment?.id ?? 'env_none',
          createdAt: req.ctx.backend.now(),
        };
        account.tasks.push(task);
        return reply.json({ task: { id: task.id } });
      },
    }),
    ...defineRoute(ctx, {
      endpoint: 'wham.tasks.details',
      method: 'GET',
      paths: backendPaths({ wham: '/wham/tasks/:taskId', codexApi: ['/tasks/:taskId', '/wham/tasks/:taskId'], root: '/wham/tasks/:taskId' }),
      auth: 'codexBackend',
      handle: (req) => {
        const account = accountOf(req);
        const task = account?.tasks.find((t) => t.id === req.params['taskId']);
        if (account === undefined || task === undefined) return reject(404, 'task_not_found', 'No such task for this account.');
        return reply.json({
          task: taskItem(account, task),
          current_user_turn: { id: `${task.id}_u`, input_items: [{ type: 'message', role: 'user', content: [{ content_type: 'text', text: task.title }] }] },
          current_assistant_turn: { id: `${task.id}_a`, turn_status: 'completed', output_items: [] },
        });
      },
    }),
  ];
}
