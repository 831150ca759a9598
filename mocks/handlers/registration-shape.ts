/**
 * The shapes a task-registration answer takes (codex-rs/agent-identity, facts page "Task
 * registration": the response carries `task_id` or `taskId`, or `encrypted_task_id` /
 * `encryptedTaskId`, a sealed box to the runtime's X25519 key). The optional fields are
 * `Option`s, so a field sent as `null` is absent to the client: the shapes with a null sibling
 * carry the id in the other field.
 */
export const REGISTRATION_SHAPES = ['task_id', 'taskId', 'encrypted_task_id', 'encryptedTaskId', 'task_id+null_encrypted', 'encrypted_task_id+null_task_id'] as const;
export type RegistrationShape = (typeof REGISTRATION_SHAPES)[number];

/** Whether the shape carries the task id sealed to the runtime's key. */
export function isEncryptedShape(shape: RegistrationShape): boolean {
  return shape === 'encrypted_task_id' || shape === 'encryptedTaskId' || shape === 'encrypted_task_id+null_task_id';
}

/** The JSON body of a registration answer: `plain` is the task id, `sealed` its sealed box (base64). */
export function registrationBody(shape: RegistrationShape, plain: string, sealed: () => string): Record<string, string | null> {
  switch (shape) {
    case 'task_id':
      return { task_id: plain };
    case 'taskId':
      return { taskId: plain };
    case 'encrypted_task_id':
      return { encrypted_task_id: sealed() };
    case 'encryptedTaskId':
      return { encryptedTaskId: sealed() };
    case 'task_id+null_encrypted':
      return { task_id: plain, encrypted_task_id: null };
    case 'encrypted_task_id+null_task_id':
      return { task_id: null, encrypted_task_id: sealed() };
    default: {
      const never: never = shape;
      throw new TypeError(`unexpected registration shape: ${JSON.stringify(never)}`);
    }
  }
}
