import { createSocket, type Socket } from 'node:dgram';

/**
 * A DNS server on 127.0.0.1:53 inside the run's namespace that answers every query NXDOMAIN and
 * records the name asked. The namespace's resolv.conf points at 127.0.0.1 (production-hosts.ts)
 * and its hosts file maps the production hosts, so a name reaching this server is one the client
 * tried to resolve for a host that is not loopback: evidence of an attempt to leave the machine,
 * recorded against the running case. Nothing is forwarded anywhere.
 */
export interface DnsQuery {
  readonly name: string;
  /** Query type as a name (A, AAAA, ...) or the number. */
  readonly type: string;
  readonly caseId: string | undefined;
}

export interface DnsSink {
  readonly queries: readonly DnsQuery[];
  namesFor(caseId: string): string[];
  close(): Promise<void>;
}

const TYPES: Record<number, string> = { 1: 'A', 5: 'CNAME', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 65: 'HTTPS' };

/** Parses the first question of a DNS query; undefined for anything malformed. */
export function parseQuestion(msg: Buffer): { id: number; name: string; type: number; end: number } | undefined {
  if (msg.length < 12) return undefined;
  const qdcount = msg.readUInt16BE(4);
  if (qdcount < 1) return undefined;
  const labels: string[] = [];
  let i = 12;
  for (;;) {
    if (i >= msg.length) return undefined;
    const len = msg[i]!;
    if (len === 0) {
      i += 1;
      break;
    }
    if (len > 63 || i + 1 + len > msg.length) return undefined;
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('latin1'));
    i += 1 + len;
  }
  if (i + 4 > msg.length) return undefined;
  return { id: msg.readUInt16BE(0), name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(i), end: i + 4 };
}

/** An NXDOMAIN answer echoing the question. */
export function nxdomain(msg: Buffer, end: number): Buffer {
  const out = Buffer.from(msg.subarray(0, end));
  const rd = msg[2]! & 0x01;
  out[2] = 0x80 | (msg[2]! & 0x78) | rd; // QR, opcode copied, RD copied
  out[3] = 0x80 | 0x03; // RA, RCODE 3 (NXDOMAIN)
  out.writeUInt16BE(1, 4);
  out.writeUInt16BE(0, 6);
  out.writeUInt16BE(0, 8);
  out.writeUInt16BE(0, 10);
  return out;
}

export async function startDnsSink(currentCase: () => string | undefined, opts: { host?: string; port?: number } = {}): Promise<DnsSink & { readonly port: number }> {
  const socket: Socket = createSocket('udp4');
  const queries: DnsQuery[] = [];
  socket.on('message', (msg, rinfo) => {
    const q = parseQuestion(msg);
    if (q === undefined) return;
    queries.push({ name: q.name, type: TYPES[q.type] ?? String(q.type), caseId: currentCase() });
    socket.send(nxdomain(msg, q.end), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(opts.port ?? 53, opts.host ?? '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return {
    queries,
    port: socket.address().port,
    namesFor: (caseId) => [...new Set(queries.filter((q) => q.caseId === caseId).map((q) => q.name))].sort(),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
