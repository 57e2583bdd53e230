/** An HTTP/1.1 request line and header section, as RFC 9112 defines them, parsed from the connection's bytes. */
export interface RequestHead {
  method: string;
  target: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  minorVersion: number;
  /** Lowercase name, value; in arrival order, repeats kept. */
  headers: string[];
  /** Bytes the head took, the blank line included: the body starts there. */
  length: number;
}

export type HeadParse = { kind: 'incomplete' } | { kind: 'head'; head: RequestHead } | { kind: 'malformed'; status: 400 | 431; reason: string };

const CRLF_CRLF = Buffer.from('\r\n\r\n');
const INCOMPLETE = { kind: 'incomplete' } as const;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+) HTTP\/1\.([01])$/;

/**
 * Reads one request head starting at `from`. Anything not plainly valid is malformed: a connection that needs
 * leniency (obsolete line folding, bare LF) is better refused than guessed at, since request smuggling lives in
 * exactly those guesses.
 */
export function parseRequestHead(bytes: Buffer, from: number, maxHeadBytes: number): HeadParse {
  const end = bytes.indexOf(CRLF_CRLF, from);
  if (end < 0) return bytes.length - from > maxHeadBytes ? malformed(431, 'request header section too large') : INCOMPLETE;
  if (end - from > maxHeadBytes) return malformed(431, 'request header section too large');
  const lines = bytes.toString('latin1', from, end).split('\r\n');
  const line = REQUEST_LINE.exec(lines[0]);
  if (!line) return malformed(400, 'malformed request line');
  const headers: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const text = lines[i];
    const colon = text.indexOf(':');
    if (colon <= 0) return malformed(400, 'malformed header line');
    const name = text.slice(0, colon);
    if (!TOKEN.test(name)) return malformed(400, `malformed header name '${name.slice(0, 64)}'`);
    const value = text.slice(colon + 1).trim();
    if (value.includes('\n') || value.includes('\r')) return malformed(400, 'malformed header value');
    headers.push(name.toLowerCase(), value);
  }
  return { kind: 'head', head: { method: line[1], target: line[2], minorVersion: Number(line[3]), headers, length: end + 4 - from } };
}

function malformed(status: 400 | 431, reason: string): HeadParse {
  return { kind: 'malformed', status, reason };
}

/** The first value of a header, or undefined. */
export function headerValue(headers: string[], name: string): string | undefined {
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === name) return headers[i + 1];
  return undefined;
}

export type BodyFraming = { kind: 'length'; bytes: number } | { kind: 'other' } | { kind: 'invalid'; reason: string };

/**
 * How the body is delimited. Only Content-Length framing is served here; chunked or any transfer coding goes to
 * the general server, and conflicting or repeated lengths are refused (RFC 9112 section 6.3).
 */
export function bodyFraming(headers: string[]): BodyFraming {
  let length: string | undefined;
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] === 'transfer-encoding') return { kind: 'other' };
    if (headers[i] === 'content-length') {
      if (length !== undefined && length !== headers[i + 1]) return { kind: 'invalid', reason: 'conflicting content-length headers' };
      length = headers[i + 1];
    }
  }
  if (length === undefined) return { kind: 'length', bytes: 0 };
  if (!/^\d{1,15}$/.test(length)) return { kind: 'invalid', reason: `content-length '${length.slice(0, 32)}' is not a number of bytes` };
  return { kind: 'length', bytes: Number(length) };
}

/** HTTP/1.1 keeps the connection unless the client says close; HTTP/1.0 is never kept on this path. */
export function keepsAlive(head: RequestHead): boolean {
  if (head.minorVersion === 0) return false;
  const connection = headerValue(head.headers, 'connection');
  return connection === undefined || !/(^|,)\s*close\s*(,|$)/i.test(connection);
}
