/**
 * A validator for the subset of JSON Schema (draft 2020-12) that the driver protocol schemas in
 * schemas/driver/ use. Written here instead of adding a dependency; a schema that uses a keyword
 * outside the subset is rejected when it is registered, so the subset cannot silently drift.
 */

export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

export interface SchemaIssue {
  /** JSON Pointer into the instance, `''` for the root. */
  readonly path: string;
  readonly message: string;
}

const SUPPORTED_KEYWORDS = new Set([
  '$schema',
  '$id',
  '$defs',
  '$ref',
  '$comment',
  'title',
  'description',
  'format',
  'type',
  'const',
  'enum',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'minItems',
  'uniqueItems',
  'oneOf',
  'anyOf',
  'minLength',
  'minimum',
  'maximum',
  'pattern',
]);

const JSON_TYPES = ['null', 'boolean', 'object', 'array', 'number', 'integer', 'string'] as const;
type JsonType = (typeof JSON_TYPES)[number];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeMatches(type: JsonType, value: unknown): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'string':
      return typeof value === 'string';
  }
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

function pointerEscape(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function pointerUnescape(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** A set of schemas addressed by `$id`, validating instances against any of them. */
export class SchemaRegistry {
  readonly #documents = new Map<string, JsonSchema>();

  /** Registers a schema document; throws TypeError for a missing `$id` or an unsupported keyword. */
  add(schema: JsonSchema): void {
    if (!isObject(schema) || typeof schema['$id'] !== 'string') {
      throw new TypeError('schema registry: every document needs a string $id; add one to the schema file');
    }
    checkKeywords(schema, schema['$id']);
    this.#documents.set(schema['$id'], schema);
  }

  has(id: string): boolean {
    return this.#documents.has(id);
  }

  /** Validates `instance` against the schema at `ref` (an `$id`, optionally with `#/...`). */
  validate(ref: string, instance: unknown): SchemaIssue[] {
    const issues: SchemaIssue[] = [];
    const { base, schema } = this.#resolve(ref, '');
    this.#check(schema, base, instance, '', issues, 0);
    return issues;
  }

  #resolve(ref: string, base: string): { base: string; schema: JsonSchema } {
    const hash = ref.indexOf('#');
    const docId = hash < 0 ? ref : ref.slice(0, hash) || base;
    const fragment = hash < 0 ? '' : ref.slice(hash + 1);
    const doc = this.#documents.get(docId);
    if (doc === undefined) {
      throw new TypeError(`schema registry: unknown schema ${JSON.stringify(docId)}; register it with add() first`);
    }
    let node: unknown = doc;
    if (fragment !== '') {
      if (!fragment.startsWith('/')) {
        throw new TypeError(`schema registry: only JSON Pointer fragments are supported, got ${JSON.stringify(ref)}`);
      }
      for (const raw of fragment.slice(1).split('/')) {
        const segment = pointerUnescape(raw);
        node = isObject(node) ? node[segment] : undefined;
      }
    }
    if (typeof node !== 'boolean' && !isObject(node)) {
      throw new TypeError(`schema registry: ${JSON.stringify(ref)} does not point at a schema`);
    }
    return { base: docId, schema: node };
  }

  #check(schema: JsonSchema, base: string, value: unknown, path: string, issues: SchemaIssue[], depth: number): void {
    if (depth > 64) throw new TypeError('schema registry: $ref nesting deeper than 64; the schemas contain a loop');
    if (schema === true) return;
    if (schema === false) {
      issues.push({ path, message: 'no value is allowed here' });
      return;
    }
    const s = schema;
    if (typeof s['$ref'] === 'string') {
      const target = this.#resolve(s['$ref'], base);
      this.#check(target.schema, target.base, value, path, issues, depth + 1);
    }
    if (s['type'] !== undefined) {
      const types = (Array.isArray(s['type']) ? s['type'] : [s['type']]) as JsonType[];
      if (!types.some((t) => typeMatches(t, value))) {
        issues.push({ path, message: `expected ${types.join(' or ')}, got ${describe(value)}` });
        return;
      }
    }
    if (Object.hasOwn(s, 'const') && !jsonEqual(s['const'], value)) {
      issues.push({ path, message: `expected ${JSON.stringify(s['const'])}, got ${describe(value)}` });
    }
    if (Array.isArray(s['enum']) && !s['enum'].some((option) => jsonEqual(option, value))) {
      issues.push({ path, message: `expected one of ${JSON.stringify(s['enum'])}, got ${describe(value)}` });
    }
    if (typeof value === 'string') {
      if (typeof s['minLength'] === 'number' && [...value].length < s['minLength']) {
        issues.push({ path, message: `string shorter than ${s['minLength']}` });
      }
      if (typeof s['pattern'] === 'string' && !new RegExp(s['pattern'], 'u').test(value)) {
        issues.push({ path, message: `string does not match ${s['pattern']}` });
      }
    }
    if (typeof value === 'number') {
      if (typeof s['minimum'] === 'number' && value < s['minimum']) {
        issues.push({ path, message: `${value} is below the minimum ${s['minimum']}` });
      }
      if (typeof s['maximum'] === 'number' && value > s['maximum']) {
        issues.push({ path, message: `${value} is above the maximum ${s['maximum']}` });
      }
    }
    if (Array.isArray(value)) {
      if (typeof s['minItems'] === 'number' && value.length < s['minItems']) {
        issues.push({ path, message: `array has fewer than ${s['minItems']} items` });
      }
      if (s['uniqueItems'] === true) {
        const dup = value.findIndex((item, i) => value.findIndex((other) => jsonEqual(item, other)) !== i);
        if (dup >= 0) issues.push({ path: `${path}/${dup}`, message: 'duplicate array item' });
      }
      if (s['items'] !== undefined) {
        value.forEach((item, i) => this.#check(s['items'] as JsonSchema, base, item, `${path}/${i}`, issues, depth + 1));
      }
    }
    if (isObject(value)) {
      if (Array.isArray(s['required'])) {
        for (const key of s['required'] as string[]) {
          if (!Object.hasOwn(value, key)) issues.push({ path, message: `missing required property ${JSON.stringify(key)}` });
        }
      }
      const properties = isObject(s['properties']) ? s['properties'] : {};
      for (const [key, item] of Object.entries(value)) {
        const child = `${path}/${pointerEscape(key)}`;
        if (Object.hasOwn(properties, key)) {
          this.#check(properties[key] as JsonSchema, base, item, child, issues, depth + 1);
        } else if (s['additionalProperties'] === false) {
          issues.push({ path: child, message: `unexpected property ${JSON.stringify(key)}` });
        } else if (s['additionalProperties'] !== undefined) {
          this.#check(s['additionalProperties'] as JsonSchema, base, item, child, issues, depth + 1);
        }
      }
    }
    if (Array.isArray(s['oneOf'])) {
      const branches = (s['oneOf'] as JsonSchema[]).map((branch) => {
        const sub: SchemaIssue[] = [];
        this.#check(branch, base, value, path, sub, depth + 1);
        return sub;
      });
      const passing = branches.filter((b) => b.length === 0).length;
      if (passing !== 1) {
        issues.push({
          path,
          message:
            passing === 0
              ? `matches none of the ${branches.length} allowed shapes (closest: ${closest(branches)})`
              : `matches ${passing} of the allowed shapes; exactly one is required`,
        });
      }
    }
    if (Array.isArray(s['anyOf'])) {
      const branches = (s['anyOf'] as JsonSchema[]).map((branch) => {
        const sub: SchemaIssue[] = [];
        this.#check(branch, base, value, path, sub, depth + 1);
        return sub;
      });
      if (!branches.some((b) => b.length === 0)) {
        issues.push({ path, message: `matches none of the allowed shapes (closest: ${closest(branches)})` });
      }
    }
  }
}

function closest(branches: SchemaIssue[][]): string {
  const best = [...branches].sort((a, b) => a.length - b.length)[0] ?? [];
  return best.map((i) => `${i.path || '/'}: ${i.message}`).join('; ');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') return value.length > 40 ? `string of length ${value.length}` : JSON.stringify(value);
  if (typeof value === 'object') return 'object';
  return `${typeof value} ${String(value)}`;
}

function checkKeywords(schema: unknown, where: string): void {
  if (typeof schema === 'boolean') return;
  if (!isObject(schema)) throw new TypeError(`schema registry: ${where} is not a schema (object or boolean)`);
  for (const [keyword, sub] of Object.entries(schema)) {
    if (!SUPPORTED_KEYWORDS.has(keyword)) {
      throw new TypeError(
        `schema registry: keyword ${JSON.stringify(keyword)} at ${where} is outside the supported subset; ` +
          `use only ${[...SUPPORTED_KEYWORDS].join(', ')} or extend src/harness/driver/schema-subset.ts`,
      );
    }
    if (keyword === 'type') {
      const types = Array.isArray(sub) ? sub : [sub];
      for (const t of types) {
        if (!(JSON_TYPES as readonly unknown[]).includes(t)) throw new TypeError(`schema registry: unknown type ${JSON.stringify(t)} at ${where}`);
      }
    }
    if (keyword === '$defs' || keyword === 'properties') {
      if (!isObject(sub)) throw new TypeError(`schema registry: ${keyword} at ${where} must be an object`);
      for (const [name, child] of Object.entries(sub)) checkKeywords(child, `${where}/${keyword}/${name}`);
    }
    if (keyword === 'items' || keyword === 'additionalProperties') checkKeywords(sub, `${where}/${keyword}`);
    if (keyword === 'oneOf' || keyword === 'anyOf') {
      if (!Array.isArray(sub)) throw new TypeError(`schema registry: ${keyword} at ${where} must be an array`);
      sub.forEach((child, i) => checkKeywords(child, `${where}/${keyword}/${i}`));
    }
  }
}
