/**
 * Adversarial task-registration answers (issue 20 item 1), as a backend may give them after it
 * verified the registration and issued a task. The source reads the answer into
 * `RegisterTaskResponse` (codex-rs/agent-identity/src/lib.rs at rust-v0.171.0): four
 * `#[serde(default)] Option<String>` fields `task_id`, `taskId`, `encrypted_task_id`,
 * `encryptedTaskId`; `task_id_from_register_task_response` takes `task_id.or(taskId)`, else
 * `encrypted_task_id.or(encryptedTaskId)` opened by `decrypt_task_id_response` (STANDARD base64,
 * canonical padding, no whitespace; the sealed box opened with the agent's X25519 key; the plain
 * text UTF-8), else fails with "agent task registration response omitted task id".
 *
 * The readable answers carry the issued task where the source looks first and an id the backend
 * never issued (a decoy) where it looks later; the unreadable ones fail the registration at the
 * source (`.json()` fails, serde refuses a number for `Option<String>`, no id, base64 with a
 * newline, a sealed id that is not UTF-8).
 */
export const READABLE_REGISTRATION_ANSWERS = ['taskIdBesideDecoyCamel', 'nullTaskIdThenCamel', 'camelBesideDecoySealed', 'sealedBesideDecoySealedCamel', 'onlySealedCamelAmongNulls'] as const;
export const UNREADABLE_REGISTRATION_ANSWERS = ['notJson', 'emptyObject', 'taskIdNumber', 'sealedWithNewline', 'sealedNotUtf8'] as const;
export const REGISTRATION_ANSWERS = [...READABLE_REGISTRATION_ANSWERS, ...UNREADABLE_REGISTRATION_ANSWERS] as const;
export type RegistrationAnswer = (typeof REGISTRATION_ANSWERS)[number];

export function isReadableAnswer(answer: RegistrationAnswer): boolean {
  return (READABLE_REGISTRATION_ANSWERS as readonly string[]).includes(answer);
}

/** The answer body for the issued `taskId`; `seal` seals bytes to the runtime's key (standard base64). */
export function registrationAnswerBody(answer: RegistrationAnswer, taskId: string, seal: (plain: Uint8Array) => string): { readonly json: unknown } | { readonly text: string } {
  const text = (s: string) => new TextEncoder().encode(s);
  const decoy = `${taskId}-decoy`;
  switch (answer) {
    case 'taskIdBesideDecoyCamel':
      return { json: { task_id: taskId, taskId: decoy } };
    case 'nullTaskIdThenCamel':
      return { json: { task_id: null, taskId, encrypted_task_id: seal(text(decoy)) } };
    case 'camelBesideDecoySealed':
      return { json: { taskId, encrypted_task_id: seal(text(decoy)) } };
    case 'sealedBesideDecoySealedCamel':
      return { json: { encrypted_task_id: seal(text(taskId)), encryptedTaskId: seal(text(decoy)) } };
    case 'onlySealedCamelAmongNulls':
      return { json: { task_id: null, taskId: null, encrypted_task_id: null, encryptedTaskId: seal(text(taskId)) } };
    case 'notJson':
      return { text: `task ${taskId} registered` };
    case 'emptyObject':
      return { json: {} };
    case 'taskIdNumber':
      return { json: { task_id: 7 } };
    case 'sealedWithNewline':
      return { json: { encrypted_task_id: `${seal(text(taskId))}\n` } };
    case 'sealedNotUtf8':
      return { json: { encrypted_task_id: seal(new Uint8Array([0x74, 0xff, 0xfe, 0x6b])) } };
    default: {
      const never: never = answer;
      throw new TypeError(`unexpected registration answer: ${JSON.stringify(never)}`);
    }
  }
}
