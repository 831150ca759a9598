import { describe, expect, it } from 'vitest';
import { compilePattern } from './route.js';

describe('route patterns', () => {
  it('matches msw path syntax: any-origin wildcard, named segments, trailing wildcard, optional trailing slash', () => {
    const tasks = compilePattern('*/backend-api/wham/tasks/:taskId');
    const m = tasks.regex.exec('http://127.0.0.1:48123/backend-api/wham/tasks/task_1');
    expect(m?.[1]).toBe('task_1');
    expect(tasks.names).toEqual(['taskId']);
    expect(tasks.regex.test('http://127.0.0.1:48123/backend-api/wham/tasks/a/b')).toBe(false);
    expect(compilePattern('*/ps/plugins/*').regex.test('https://chatgpt.com/backend-api/ps/plugins/installed')).toBe(true);
    expect(compilePattern('*/backend-api/wham/usage').regex.test('https://chatgpt.com/backend-api/wham/usage/')).toBe(true);
  });

  it('keeps a port and dots of an origin literal, and does not take them for parameters', () => {
    const p = compilePattern('http://127.0.0.1:48123/backend-api/wham/usage');
    expect(p.names).toEqual([]);
    expect(p.regex.test('http://127.0.0.1:48123/backend-api/wham/usage')).toBe(true);
    expect(p.regex.test('http://127a0a0a1:48123/backend-api/wham/usage')).toBe(false);
    expect(p.regex.test('http://127.0.0.1:48124/backend-api/wham/usage')).toBe(false);
  });
});
