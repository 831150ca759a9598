import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SchemaRegistry, jsonEqual } from './schema-subset.js';

function registry(): SchemaRegistry {
  const r = new SchemaRegistry();
  r.add({
    $id: 'urn:test:a',
    $defs: {
      name: { type: 'string', minLength: 1 },
      thing: {
        type: 'object',
        required: ['name', 'n'],
        properties: {
          name: { $ref: '#/$defs/name' },
          n: { type: 'integer', minimum: 0, maximum: 10 },
          tags: { type: 'array', items: { enum: ['x', 'y'] }, uniqueItems: true, minItems: 1 },
          kind: { const: 'thing' },
          any: {},
        },
        additionalProperties: false,
      },
    },
  });
  r.add({ $id: 'urn:test:b', oneOf: [{ $ref: 'urn:test:a#/$defs/thing' }, { type: 'null' }] });
  return r;
}

describe('SchemaRegistry', () => {
  it('accepts an instance that matches', () => {
    expect(registry().validate('urn:test:a#/$defs/thing', { name: 'a', n: 3, tags: ['x'], kind: 'thing', any: [1] })).toEqual([]);
  });

  it.each([
    [{ n: 1 }, /missing required property "name"/],
    [{ name: '', n: 1 }, /shorter than 1/],
    [{ name: 'a', n: 1.5 }, /expected integer/],
    [{ name: 'a', n: 11 }, /above the maximum/],
    [{ name: 'a', n: -1 }, /below the minimum/],
    [{ name: 'a', n: 1, extra: 1 }, /unexpected property "extra"/],
    [{ name: 'a', n: 1, tags: ['x', 'x'] }, /duplicate/],
    [{ name: 'a', n: 1, tags: [] }, /fewer than 1/],
    [{ name: 'a', n: 1, tags: ['z'] }, /one of/],
    [{ name: 'a', n: 1, kind: 'other' }, /expected "thing"/],
  ])('rejects %j', (instance, message) => {
    const issues = registry().validate('urn:test:a#/$defs/thing', instance);
    expect(issues.map((i) => i.message).join('\n')).toMatch(message);
  });

  it('resolves $ref across documents and requires exactly one oneOf branch', () => {
    const r = registry();
    expect(r.validate('urn:test:b', null)).toEqual([]);
    expect(r.validate('urn:test:b', { name: 'a', n: 0 })).toEqual([]);
    expect(r.validate('urn:test:b', 'nope')[0]?.message).toMatch(/matches none/);
  });

  it('rejects schemas using keywords outside the subset', () => {
    expect(() => new SchemaRegistry().add({ $id: 'urn:x', type: 'object', patternProperties: {} })).toThrow(/outside the supported subset/);
    expect(() => new SchemaRegistry().add({ $id: 'urn:x', $defs: { a: { if: true } } })).toThrow(/"if"/);
    expect(() => new SchemaRegistry().add({ type: 'object' })).toThrow(/\$id/);
  });

  it('names an unknown schema reference', () => {
    expect(() => registry().validate('urn:test:missing', {})).toThrow(/unknown schema/);
  });

  it('never crashes on arbitrary JSON instances', () => {
    const r = registry();
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const issues = r.validate('urn:test:b', value);
        expect(Array.isArray(issues)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('jsonEqual compares structurally regardless of key order', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
  });
});
