import { ConformanceInputError } from '../errors.js';

/**
 * A small TOML reader, enough for a Codex `config.toml`: comments, `[table]`, `[a.b]` and
 * `[[array.of.tables]]` headers, bare, quoted and dotted keys, basic and literal strings (also
 * multi-line), integers (decimal, hex, octal, binary, `_` separators), floats, `inf`/`nan`,
 * booleans, dates and times (kept as their text), arrays (multi-line, trailing comma) and inline
 * tables. Every problem is a typed BAD_CONFIG error naming the file and line; values are never
 * echoed (a config may hold a token).
 */
export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

const BARE_KEY = /[A-Za-z0-9_-]/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})?)?$|^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

class Parser {
  pos = 0;
  constructor(
    readonly text: string,
    readonly source: string,
  ) {}

  line(): number {
    let n = 1;
    for (let i = 0; i < this.pos && i < this.text.length; i += 1) if (this.text[i] === '\n') n += 1;
    return n;
  }

  fail(what: string): never {
    throw new ConformanceInputError('BAD_CONFIG', `${this.source} line ${this.line()}: ${what}.`, 'fix the TOML syntax (https://toml.io) or remove the line; codex-auth-conformance reads chatgpt_base_url and openai_base_url from it.');
  }

  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }

  startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  /** Spaces and tabs only. */
  skipBlanks(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos += 1;
  }

  skipComment(): void {
    if (this.peek() !== '#') return;
    while (this.pos < this.text.length && this.peek() !== '\n') {
      const c = this.text.charCodeAt(this.pos);
      if ((c < 0x20 && c !== 0x09) || c === 0x7f) this.fail('a control character in a comment');
      this.pos += 1;
    }
  }

  /** Blanks, comments and newlines (inside arrays). */
  skipAll(): void {
    for (;;) {
      this.skipBlanks();
      this.skipComment();
      if (this.peek() === '\n') this.pos += 1;
      else if (this.startsWith('\r\n')) this.pos += 2;
      else return;
    }
  }

  endOfLine(): void {
    this.skipBlanks();
    this.skipComment();
    if (this.pos >= this.text.length) return;
    if (this.peek() === '\n') this.pos += 1;
    else if (this.startsWith('\r\n')) this.pos += 2;
    else this.fail('unexpected text after a value (one key = value per line)');
  }

  key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipBlanks();
      const c = this.peek();
      if (c === '"') parts.push(this.basicString());
      else if (c === "'") parts.push(this.literalString());
      else {
        const start = this.pos;
        while (BARE_KEY.test(this.peek())) this.pos += 1;
        if (this.pos === start) this.fail('a key is missing or has a character outside A-Za-z0-9_- (quote it)');
        parts.push(this.text.slice(start, this.pos));
      }
      this.skipBlanks();
      if (this.peek() !== '.') return parts;
      this.pos += 1;
    }
  }

  basicString(): string {
    if (this.startsWith('"""')) return this.multilineBasic();
    this.pos += 1;
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === '' || c === '\n') this.fail('an unterminated string');
      this.pos += 1;
      if (c === '"') return out;
      if (c === '\\') out += this.escape();
      else {
        this.checkChar(c);
        out += c;
      }
    }
  }

  multilineBasic(): string {
    this.pos += 3;
    if (this.peek() === '\n') this.pos += 1;
    else if (this.startsWith('\r\n')) this.pos += 2;
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) this.fail('an unterminated multi-line string');
      if (this.startsWith('"""')) {
        let quotes = 3;
        while (this.peek(quotes) === '"' && quotes < 5) quotes += 1;
        this.pos += quotes;
        return out + '"'.repeat(quotes - 3);
      }
      const c = this.peek();
      this.pos += 1;
      if (c === '\\') {
        // A line-ending backslash trims the newline and the whitespace after it.
        let look = this.pos;
        while (this.text[look] === ' ' || this.text[look] === '\t') look += 1;
        if (this.text[look] === '\n' || this.text.startsWith('\r\n', look)) {
          this.pos = look;
          while (/[ \t\r\n]/.test(this.peek()) && this.peek() !== '') this.pos += 1;
        } else {
          out += this.escape();
        }
      } else {
        if (c !== '\n' && c !== '\r') this.checkChar(c);
        out += c;
      }
    }
  }

  escape(): string {
    const c = this.peek();
    this.pos += 1;
    switch (c) {
      case 'b':
        return '\b';
      case 't':
        return '\t';
      case 'n':
        return '\n';
      case 'f':
        return '\f';
      case 'r':
        return '\r';
      case 'e':
        return '\u001b';
      case '"':
        return '"';
      case '\\':
        return '\\';
      case 'u':
      case 'U': {
        const len = c === 'u' ? 4 : 8;
        const hex = this.text.slice(this.pos, this.pos + len);
        if (!new RegExp(`^[0-9A-Fa-f]{${len}}$`).test(hex)) this.fail(`a \\${c} escape without ${len} hex digits`);
        const code = Number.parseInt(hex, 16);
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) this.fail('an escape that is not a Unicode scalar value');
        this.pos += len;
        return String.fromCodePoint(code);
      }
      default:
        return this.fail('an unknown escape in a string');
    }
  }

  literalString(): string {
    if (this.startsWith("'''")) {
      this.pos += 3;
      if (this.peek() === '\n') this.pos += 1;
      else if (this.startsWith('\r\n')) this.pos += 2;
      const end = this.text.indexOf("'''", this.pos);
      if (end < 0) this.fail('an unterminated multi-line literal string');
      let stop = end + 3;
      while (this.text[stop] === "'" && stop < end + 5) stop += 1;
      const out = this.text.slice(this.pos, stop - 3);
      this.pos = stop;
      return out;
    }
    this.pos += 1;
    const start = this.pos;
    while (this.peek() !== "'") {
      if (this.peek() === '' || this.peek() === '\n') this.fail('an unterminated literal string');
      this.checkChar(this.peek());
      this.pos += 1;
    }
    const out = this.text.slice(start, this.pos);
    this.pos += 1;
    return out;
  }

  checkChar(c: string): void {
    const code = c.charCodeAt(0);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) this.fail('a control character in a string (escape it)');
  }

  value(depth: number): TomlValue {
    if (depth > 64) this.fail('values nested more than 64 deep');
    this.skipBlanks();
    const c = this.peek();
    if (c === '"') return this.basicString();
    if (c === "'") return this.literalString();
    if (c === '[') return this.array(depth);
    if (c === '{') return this.inlineTable(depth);
    const start = this.pos;
    while (this.pos < this.text.length && !/[\s,\]}#]/.test(this.peek())) this.pos += 1;
    // A date-time may hold one space between date and time.
    if (this.peek() === ' ' && /^\d{4}-\d{2}-\d{2}$/.test(this.text.slice(start, this.pos)) && /\d/.test(this.peek(1))) {
      this.pos += 1;
      while (this.pos < this.text.length && !/[\s,\]}#]/.test(this.peek())) this.pos += 1;
    }
    const token = this.text.slice(start, this.pos);
    if (token === '') this.fail('a value is missing');
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (/^[+-]?(inf|nan)$/.test(token)) return token.includes('nan') ? Number.NaN : token.startsWith('-') ? -Infinity : Infinity;
    if (/^0x[0-9A-Fa-f](_?[0-9A-Fa-f])*$/.test(token)) return Number.parseInt(token.slice(2).replace(/_/g, ''), 16);
    if (/^0o[0-7](_?[0-7])*$/.test(token)) return Number.parseInt(token.slice(2).replace(/_/g, ''), 8);
    if (/^0b[01](_?[01])*$/.test(token)) return Number.parseInt(token.slice(2).replace(/_/g, ''), 2);
    if (/^[+-]?(0|[1-9](_?\d)*)$/.test(token)) return Number(token.replace(/_/g, ''));
    if (/^[+-]?(0|[1-9](_?\d)*)(\.\d(_?\d)*)?([eE][+-]?\d(_?\d)*)?$/.test(token)) return Number(token.replace(/_/g, ''));
    if (DATE_TIME.test(token)) return token;
    return this.fail('a value that is not a string, number, boolean, date, array or table (strings need quotes)');
  }

  array(depth: number): TomlValue[] {
    this.pos += 1;
    const out: TomlValue[] = [];
    for (;;) {
      this.skipAll();
      if (this.peek() === ']') {
        this.pos += 1;
        return out;
      }
      if (this.pos >= this.text.length) this.fail('an unterminated array');
      out.push(this.value(depth + 1));
      this.skipAll();
      if (this.peek() === ',') this.pos += 1;
      else if (this.peek() !== ']') this.fail('array items must be separated by commas');
    }
  }

  inlineTable(depth: number): TomlTable {
    this.pos += 1;
    const table: TomlTable = {};
    this.skipBlanks();
    if (this.peek() === '}') {
      this.pos += 1;
      return table;
    }
    for (;;) {
      const key = this.key();
      if (this.peek() !== '=') this.fail('an inline table entry without "="');
      this.pos += 1;
      assign(this, table, key, this.value(depth + 1));
      this.skipBlanks();
      if (this.peek() === ',') {
        this.pos += 1;
        continue;
      }
      if (this.peek() === '}') {
        this.pos += 1;
        return table;
      }
      this.fail('an inline table must be on one line, entries separated by commas');
    }
  }
}

function isTable(v: TomlValue | undefined): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Sets `key` (dotted parts) in `table`; a key defined twice is an error. */
function assign(p: Parser, table: TomlTable, key: readonly string[], value: TomlValue): void {
  let target = table;
  for (const part of key.slice(0, -1)) {
    const existing = target[part];
    if (existing === undefined) target[part] = {};
    else if (!isTable(existing)) p.fail(`key ${JSON.stringify(key.join('.'))} extends a value that is not a table`);
    target = target[part] as TomlTable;
  }
  const last = key[key.length - 1]!;
  if (Object.hasOwn(target, last)) p.fail(`key ${JSON.stringify(key.join('.'))} is defined twice`);
  target[last] = value;
}

export function parseTomlSubset(text: string, source: string): TomlTable {
  const p = new Parser(text.startsWith('\ufeff') ? text.slice(1) : text, source);
  const root: TomlTable = {};
  const declared = new Set<string>();
  let current = root;
  while (p.pos < p.text.length) {
    p.skipBlanks();
    const c = p.peek();
    if (c === '#' || c === '\n' || c === '\r' || c === '') {
      p.endOfLine();
      continue;
    }
    if (c === '[') {
      const arrayOfTables = p.startsWith('[[');
      p.pos += arrayOfTables ? 2 : 1;
      const key = p.key();
      if (!p.startsWith(arrayOfTables ? ']]' : ']')) p.fail('a table header without its closing bracket');
      p.pos += arrayOfTables ? 2 : 1;
      let target = root;
      for (const part of key.slice(0, -1)) {
        const existing = target[part];
        if (existing === undefined) target[part] = {};
        const next = target[part];
        if (Array.isArray(next) && isTable(next[next.length - 1])) target = next[next.length - 1] as TomlTable;
        else if (isTable(next)) target = next;
        else p.fail(`table ${JSON.stringify(key.join('.'))} extends a value that is not a table`);
      }
      const last = key[key.length - 1]!;
      if (arrayOfTables) {
        const existing: TomlValue = target[last] ?? [];
        if (!Array.isArray(existing)) return p.fail(`[[${key.join('.')}]] names a key that is not an array of tables`);
        const fresh: TomlTable = {};
        existing.push(fresh);
        target[last] = existing;
        current = fresh;
      } else {
        const name = key.join('.');
        if (declared.has(name)) p.fail(`table [${name}] is declared twice`);
        declared.add(name);
        const existing = target[last];
        if (existing === undefined) target[last] = {};
        else if (!isTable(existing)) p.fail(`table [${name}] names a key that already holds a value`);
        current = target[last] as TomlTable;
      }
      p.endOfLine();
      continue;
    }
    const key = p.key();
    if (p.peek() !== '=') p.fail('a line that is neither a table header nor key = value');
    p.pos += 1;
    const value = p.value(0);
    assign(p, current, key, value);
    p.endOfLine();
  }
  return root;
}
