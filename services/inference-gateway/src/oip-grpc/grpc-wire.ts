import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';

/** gRPC status codes this server sends (the numbering is fixed by the gRPC specification). */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;
export type GrpcStatusCode = (typeof GrpcStatus)[keyof typeof GrpcStatus];

/** A call that ends with a non-OK status; `details` becomes grpc-message. */
export class GrpcCallError extends Error {
  constructor(
    readonly code: GrpcStatusCode,
    readonly details: string,
  ) {
    super(details);
  }
}

export const FRAME_PREFIX_BYTES = 5;
const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/**
 * The one request message of a unary call from its length-prefixed frames (1-byte compressed flag, 4-byte big-endian
 * length). Same outcomes as grpc-js for none, several, oversize, or compressed with an encoding we do not speak.
 */
export async function unaryRequestMessage(body: Buffer, encoding: string, maxBytes: number): Promise<Buffer> {
  let message: Buffer | null = null;
  let offset = 0;
  while (offset + FRAME_PREFIX_BYTES <= body.length) {
    const compressed = body[offset] === 1;
    const length = body.readUInt32BE(offset + 1);
    if (length > maxBytes) throw new GrpcCallError(GrpcStatus.RESOURCE_EXHAUSTED, `Received message larger than max (${length} vs. ${maxBytes})`);
    if (offset + FRAME_PREFIX_BYTES + length > body.length) break;
    if (message) throw new GrpcCallError(GrpcStatus.UNIMPLEMENTED, 'Received a second request message for a unary method');
    const payload = body.subarray(offset + FRAME_PREFIX_BYTES, offset + FRAME_PREFIX_BYTES + length);
    message = compressed ? await decompress(payload, encoding, maxBytes) : payload;
    offset += FRAME_PREFIX_BYTES + length;
  }
  if (!message) throw new GrpcCallError(GrpcStatus.UNIMPLEMENTED, 'Received no request message for a unary method');
  return message;
}

async function decompress(payload: Buffer, encoding: string, maxBytes: number): Promise<Buffer> {
  if (encoding === 'identity') return payload;
  if (encoding !== 'gzip' && encoding !== 'deflate') {
    throw new GrpcCallError(GrpcStatus.UNIMPLEMENTED, `Received message compressed with unsupported encoding "${encoding}"`);
  }
  try {
    return await (encoding === 'gzip' ? gunzipAsync : inflateAsync)(payload, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new GrpcCallError(GrpcStatus.RESOURCE_EXHAUSTED, `Received message that decompresses to a size larger than ${maxBytes}`);
    }
    throw new GrpcCallError(GrpcStatus.INTERNAL, 'Failed to decompress message');
  }
}

/** One uncompressed length-prefixed message. */
export function frameMessage(message: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_PREFIX_BYTES + message.length);
  frame[0] = 0;
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, FRAME_PREFIX_BYTES);
  return frame;
}

/** grpc-message is percent-encoded: everything outside printable ASCII, and '%' itself. */
export function encodeGrpcMessage(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const TIMEOUT_UNITS_MS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 0.001, n: 0.000001 };

/** grpc-timeout ("100m", "5S", ...) in milliseconds; null when malformed. */
export function parseGrpcTimeout(value: string): number | null {
  const match = /^(\d{1,8})([HMSmun])$/.exec(value.trim());
  return match ? Number(match[1]) * TIMEOUT_UNITS_MS[match[2]] : null;
}

/** A request metadata value as grpc-js hands it to handlers: first of a comma-joined list, -bin keys base64-decoded. */
export function metadataValue(headers: Record<string, string | string[] | undefined>, key: string): string | undefined {
  const raw = headers[key];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined) return undefined;
  if (key.endsWith('-bin')) return Buffer.from(value.split(',')[0], 'base64').toString('utf8');
  return value.split(',')[0].trim();
}
