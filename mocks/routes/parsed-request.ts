/**
 * What a mock route sees of a request, whichever adapter received it: method, URL and headers,
 * with the body read on demand (routes check headers before they read a body). In process it
 * wraps the Fetch Request msw intercepted; on the port it is built straight from node:http's
 * IncomingMessage, without a Fetch Request.
 */
export interface ParsedRequest {
  /** Upper-case method. */
  readonly method: string;
  /** The absolute URL as a Fetch Request would show it (`new URL(...).href`). */
  readonly url: string;
  /** Fetch semantics: case-insensitive, duplicates joined with `, `, iteration sorted by name. */
  readonly headers: Headers;
}

/** Header values Fetch refuses (`Headers.append` throws): NUL, CR, LF. */
const FORBIDDEN_VALUE = /[\0\r\n]/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HTTP_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

function isHttpWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function normalizeValue(value: string): string {
  if (value.length === 0) return value;
  return isHttpWhitespace(value.charCodeAt(0)) || isHttpWhitespace(value.charCodeAt(value.length - 1)) ? value.replace(HTTP_WHITESPACE, '') : value;
}

/**
 * A `Headers` built from raw name/value pairs without undici's per-call validation overhead,
 * with the same observable behaviour for valid input: names lower-cased, values trimmed of HTTP
 * whitespace, duplicates joined with `, ` (each `set-cookie` kept apart), iteration in sorted
 * name order. Construction throws a TypeError for a name or value Fetch would refuse.
 */
export class HeaderList implements Headers {
  readonly #values = new Map<string, string[]>();
  #sorted: [string, string][] | undefined;

  /** Pairs as in `IncomingMessage.rawHeaders`: name, value, name, value, ... */
  static fromRaw(raw: readonly string[]): HeaderList {
    const list = new HeaderList();
    for (let i = 0; i + 1 < raw.length; i += 2) list.append(raw[i] as string, raw[i + 1] as string);
    return list;
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    if (!TOKEN.test(key)) throw new TypeError(`invalid header name ${JSON.stringify(name.slice(0, 64))}`);
    const normalized = normalizeValue(value);
    if (FORBIDDEN_VALUE.test(normalized)) throw new TypeError(`invalid value for header ${key}`);
    const known = this.#values.get(key);
    if (known === undefined) this.#values.set(key, [normalized]);
    else known.push(normalized);
    this.#sorted = undefined;
  }

  set(name: string, value: string): void {
    this.delete(name);
    this.append(name, value);
  }

  delete(name: string): void {
    if (this.#values.delete(name.toLowerCase())) this.#sorted = undefined;
  }

  /** Names sent on more than one line, with their line count (`set-cookie` included). */
  repeatedLines(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, values] of this.#values) if (values.length > 1) out[name] = values.length;
    return out;
  }

  get(name: string): string | null {
    const values = this.#values.get(name.toLowerCase());
    return values === undefined ? null : values.join(', ');
  }

  getSetCookie(): string[] {
    return [...(this.#values.get('set-cookie') ?? [])];
  }

  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }

  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [key, value] of this.#entries()) callback.call(thisArg, value, key, this);
  }

  entries(): ReturnType<Headers['entries']> {
    return this.#entries()[Symbol.iterator]() as ReturnType<Headers['entries']>;
  }

  keys(): ReturnType<Headers['keys']> {
    return this.#entries().map(([k]) => k)[Symbol.iterator]() as ReturnType<Headers['keys']>;
  }

  values(): ReturnType<Headers['keys']> {
    return this.#entries().map(([, v]) => v)[Symbol.iterator]() as ReturnType<Headers['keys']>;
  }

  [Symbol.iterator](): ReturnType<Headers['entries']> {
    return this.entries();
  }

  #entries(): [string, string][] {
    if (this.#sorted !== undefined) return this.#sorted;
    const out: [string, string][] = [];
    for (const name of [...this.#values.keys()].sort()) {
      const values = this.#values.get(name) as string[];
      if (name === 'set-cookie') for (const v of values) out.push([name, v]);
      else out.push([name, values.join(', ')]);
    }
    this.#sorted = out;
    return out;
  }
}

/** The ParsedRequest of a Fetch Request (msw's in-process interception). */
export function fromFetchRequest(request: Request): ParsedRequest {
  return { method: request.method, url: request.url, headers: request.headers };
}
