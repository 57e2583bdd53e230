import { STATUS_CODES } from 'node:http';

/** One answer on the raw path; written whole, with Content-Length, never chunked. */
export interface Http1Answer {
  status: number;
  contentType: string;
  body: string | Buffer;
  /** Lowercase name, value pairs besides the framing ones. */
  headers?: string[];
}

let dateSecond = -1;
let dateHeader = '';

/** RFC 9110 asks an origin server with a clock for Date; it only changes once a second. */
function currentDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateHeader = new Date(now).toUTCString();
  }
  return dateHeader;
}

/** The status line and header section, as Node's own server writes them for the same answer (keep-alive 5 s). */
export function responseHead(answer: Http1Answer, bodyBytes: number, keepAlive: boolean): string {
  let head = `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? 'Unknown'}\r\ncontent-type: ${answer.contentType}\r\ncontent-length: ${bodyBytes}\r\n`;
  const extra = answer.headers;
  if (extra) for (let i = 0; i < extra.length; i += 2) head += `${extra[i]}: ${extra[i + 1]}\r\n`;
  head += `date: ${currentDate()}\r\n`;
  head += keepAlive ? 'connection: keep-alive\r\nkeep-alive: timeout=5\r\n\r\n' : 'connection: close\r\n\r\n';
  return head;
}
