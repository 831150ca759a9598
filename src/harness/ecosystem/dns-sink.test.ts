import { Resolver } from 'node:dns/promises';
import { describe, expect, it } from 'vitest';
import { nxdomain, parseQuestion, startDnsSink } from './dns-sink.js';

function query(name: string, type = 1, id = 0x1234): Buffer {
  const labels = name.split('.').flatMap((l) => [Buffer.from([l.length]), Buffer.from(l)]);
  const head = Buffer.alloc(12);
  head.writeUInt16BE(id, 0);
  head[2] = 0x01;
  head.writeUInt16BE(1, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(type, 0);
  tail.writeUInt16BE(1, 2);
  return Buffer.concat([head, ...labels, Buffer.from([0]), tail]);
}

describe('DNS sink (evidence of a client trying a non-loopback host)', () => {
  it('parses the question and answers NXDOMAIN with the same id and question', () => {
    const q = query('Registry.npmjs.org', 28);
    const parsed = parseQuestion(q);
    expect(parsed).toMatchObject({ id: 0x1234, name: 'registry.npmjs.org', type: 28 });
    const answer = nxdomain(q, parsed!.end);
    expect(answer.readUInt16BE(0)).toBe(0x1234);
    expect(answer[3]! & 0x0f).toBe(3);
    expect(answer[2]! & 0x80).toBe(0x80);
    expect(parseQuestion(answer)?.name).toBe('registry.npmjs.org');
  });

  it('refuses malformed packets without answering', () => {
    expect(parseQuestion(Buffer.alloc(5))).toBeUndefined();
    const truncated = query('example.org').subarray(0, 16);
    expect(parseQuestion(truncated)).toBeUndefined();
  });

  it('records each name a resolver asks for against the current case, and the resolver sees NXDOMAIN', async () => {
    let current: string | undefined = 'case-1';
    const sink = await startDnsSink(() => current, { port: 0 });
    try {
      const resolver = new Resolver({ timeout: 2000, tries: 1 });
      resolver.setServers([`127.0.0.1:${sink.port}`]);
      await expect(resolver.resolve4('api.github.com')).rejects.toMatchObject({ code: 'ENOTFOUND' });
      current = 'case-2';
      await expect(resolver.resolve6('registry.npmjs.org')).rejects.toMatchObject({ code: 'ENOTFOUND' });
      expect(sink.namesFor('case-1')).toEqual(['api.github.com']);
      expect(sink.namesFor('case-2')).toEqual(['registry.npmjs.org']);
      expect(sink.queries.map((q) => q.type)).toEqual(['A', 'AAAA']);
    } finally {
      await sink.close();
    }
  });
});
