import { describe, expect, it } from 'vitest';
import { pathStyleFor } from './path-style.js';

describe('pathStyleFor', () => {
  it('URL.STYLE uses wham paths under /backend-api', () => {
    expect(pathStyleFor('https://chatgpt.com/backend-api')).toBe('wham');
    expect(pathStyleFor('http://127.0.0.1:1/proxy/backend-api')).toBe('wham');
  });
  it('URL.STYLE uses /api/codex paths elsewhere', () => {
    expect(pathStyleFor('http://localhost:8080/api/codex')).toBe('codexApi');
    expect(pathStyleFor('http://localhost:8080')).toBe('codexApi');
  });
});
