import { describe, expect, it } from 'vitest';
import { lineageFields } from './lineage-fields.js';

describe('lineage fields', () => {
  it('REFRESH.TOKEN.001 finds lineage-like fields at the top and inside the credential, never in headers', () => {
    const entry = {
      seq: 4,
      lineage: { family: 'f1', generation: 2 },
      credential: { kind: 'bearer', issued: { tokenKind: 'chatgptAccess', refreshGeneration: 3, expired: false } },
      headers: { 'x-generation': 'not a lineage field' },
      verdict: { status: 200, spentTokenReused: true },
    };
    expect(lineageFields(entry)).toEqual([
      { path: 'lineage', value: { family: 'f1', generation: 2 } },
      { path: 'credential.issued.refreshGeneration', value: 3 },
      { path: 'verdict.spentTokenReused', value: true },
    ]);
    expect(lineageFields({ seq: 1, credential: { kind: 'none' } })).toEqual([]);
  });
});
