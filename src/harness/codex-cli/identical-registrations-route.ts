import { HttpResponse, type HttpHandler } from 'msw';
import { TASK_REGISTER_PATHS } from '../../../mocks/handlers/agent-identity.js';
import { defineRoute, parseJsonBody, type MockContext } from '../../../mocks/handlers/route.js';
import { verifyTaskRegistration } from '../../../mocks/verify/task-registration.js';

/**
 * Task registration that answers identical registrations again instead of refusing them as
 * replays. 0.171.0 registers once per auth consumer, several times within one second, so the
 * bodies (timestamp to the second, deterministic Ed25519) are byte-identical; the mock's replay
 * refusal (409 `registration_replayed`) then makes the binary drop agent auth and send its model
 * traffic unauthenticated to https://api.openai.com/v1/responses (seen in the first run, see
 * docs/real-cli-conformance.md). To judge the agent-identity happy path, real-CLI runs prepend
 * this route: same verification (body shape, runtime, signature, clock skew) via
 * verifyTaskRegistration, minus the replay memory. Plain `task_id` answers only.
 */
export function identicalRegistrationsRoute(ctx: MockContext): HttpHandler[] {
  return defineRoute(ctx, {
    endpoint: 'agentIdentity.task.register',
    method: 'POST',
    paths: TASK_REGISTER_PATHS,
    auth: 'none',
    handle: (req) => {
      const parsed = parseJsonBody(req.body);
      if (!parsed.ok) return parsed.rejection;
      const signature = (parsed.value as { signature?: unknown } | null)?.signature;
      if (typeof signature === 'string') req.ctx.backend.registrationSignatures.delete(signature);
      const result = verifyTaskRegistration(req.ctx.backend, req.params['runtimeId'] ?? '', parsed.value);
      if (!result.ok) return result.rejection;
      return HttpResponse.json({ task_id: result.task.taskId });
    },
  });
}
