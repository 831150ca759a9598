import { describe, expect, it } from 'vitest';
import { isReadableAnswer, REGISTRATION_ANSWERS, registrationAnswerBody } from './registration-answer.js';

const seal = (b: Uint8Array) => `sealed:${Buffer.from(b).toString('hex')}`;

describe('adversarial registration answers', () => {
  it('every readable answer carries the issued task where the source looks first, and a decoy or nothing after it', () => {
    for (const answer of REGISTRATION_ANSWERS.filter(isReadableAnswer)) {
      const body = registrationAnswerBody(answer, 'task-1', seal);
      expect('json' in body, answer).toBe(true);
      const json = (body as { json: Record<string, unknown> }).json;
      const first = [json['task_id'], json['taskId']].find((v) => v !== undefined && v !== null) ?? [json['encrypted_task_id'], json['encryptedTaskId']].find((v) => v !== undefined && v !== null);
      expect([ 'task-1', seal(new TextEncoder().encode('task-1'))], answer).toContain(first);
    }
  });

  it('the unreadable answers are a text body or JSON the source refuses', () => {
    expect(registrationAnswerBody('notJson', 'task-1', seal)).toEqual({ text: 'task task-1 registered' });
    expect(registrationAnswerBody('taskIdNumber', 'task-1', seal)).toEqual({ json: { task_id: 7 } });
    expect(registrationAnswerBody('sealedWithNewline', 'task-1', seal)).toEqual({ json: { encrypted_task_id: `${seal(new TextEncoder().encode('task-1'))}\n` } });
    expect(REGISTRATION_ANSWERS.filter((a) => !isReadableAnswer(a))).toHaveLength(5);
  });
});
