import { describe, expect, it } from 'vitest';
import { isEncryptedShape, REGISTRATION_SHAPES, registrationBody } from './registration-shape.js';

describe('task registration answer shapes', () => {
  it('each shape carries the id in exactly one non-null field, sealed or plain as named', () => {
    const bodies = REGISTRATION_SHAPES.map((shape) => ({ shape, body: registrationBody(shape, 'task-1', () => 'c2VhbGVk') }));
    expect(bodies.map((b) => b.body)).toEqual([
      { task_id: 'task-1' },
      { taskId: 'task-1' },
      { encrypted_task_id: 'c2VhbGVk' },
      { encryptedTaskId: 'c2VhbGVk' },
      { task_id: 'task-1', encrypted_task_id: null },
      { task_id: null, encrypted_task_id: 'c2VhbGVk' },
    ]);
    for (const { shape, body } of bodies) {
      const set = Object.values(body).filter((v) => v !== null);
      expect(set, shape).toEqual([isEncryptedShape(shape) ? 'c2VhbGVk' : 'task-1']);
    }
  });
});
