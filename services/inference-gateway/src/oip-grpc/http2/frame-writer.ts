import type { Writable } from 'node:stream';
import { ErrorCodeValue, Flag, FRAME_HEADER_BYTES, FrameType } from './frames';

const SLAB_BYTES = 16 * 1024;
/** Payloads up to this size are copied next to their frame header; larger ones are written from where they are. */
const COPY_LIMIT = 1024;

/**
 * The frames one connection has produced since its last flush, written to the socket in one go. Frame headers and
 * small payloads are appended to a slab, so a whole unary answer is usually one contiguous run; bytes before the
 * write position are never rewritten, so runs handed to the socket stay valid while it holds them.
 */
export class FrameWriter {
  private slab = Buffer.allocUnsafe(SLAB_BYTES);
  private pos = 0;
  private runStart = 0;
  private readonly pieces: Buffer[] = [];

  get empty(): boolean {
    return this.pos === this.runStart && this.pieces.length === 0;
  }

  /** Hands everything queued to the socket: one write, or one corked series when large payloads are in it. */
  flush(socket: Writable): void {
    this.endRun();
    const pieces = this.pieces;
    if (pieces.length === 1) {
      socket.write(pieces[0]);
    } else if (pieces.length > 1) {
      socket.cork();
      for (const piece of pieces) socket.write(piece);
      socket.uncork();
    }
    pieces.length = 0;
  }

  settings(entries: readonly (readonly [id: number, value: number])[]): void {
    this.reserve(FRAME_HEADER_BYTES + 6 * entries.length);
    this.header(6 * entries.length, FrameType.SETTINGS, 0, 0);
    for (const [id, value] of entries) {
      this.slab.writeUInt16BE(id, this.pos);
      this.slab.writeUInt32BE(value, this.pos + 2);
      this.pos += 6;
    }
  }

  settingsAck(): void {
    this.reserve(FRAME_HEADER_BYTES);
    this.header(0, FrameType.SETTINGS, Flag.ACK, 0);
  }

  pingAck(opaque: Buffer, start: number): void {
    this.frame(FrameType.PING, Flag.ACK, 0, opaque, start, start + 8);
  }

  windowUpdate(streamId: number, increment: number): void {
    this.reserve(FRAME_HEADER_BYTES + 4);
    this.header(4, FrameType.WINDOW_UPDATE, 0, streamId);
    this.slab.writeUInt32BE(increment, this.pos);
    this.pos += 4;
  }

  rstStream(streamId: number, code: ErrorCodeValue): void {
    this.reserve(FRAME_HEADER_BYTES + 4);
    this.header(4, FrameType.RST_STREAM, 0, streamId);
    this.slab.writeUInt32BE(code, this.pos);
    this.pos += 4;
  }

  goaway(lastStreamId: number, code: ErrorCodeValue, debug: string): void {
    const debugBytes = Buffer.from(debug, 'latin1');
    this.reserve(FRAME_HEADER_BYTES + 8 + debugBytes.length);
    this.header(8 + debugBytes.length, FrameType.GOAWAY, 0, 0);
    this.slab.writeUInt32BE(lastStreamId, this.pos);
    this.slab.writeUInt32BE(code, this.pos + 4);
    this.pos += 8;
    this.pos += debugBytes.copy(this.slab, this.pos);
  }

  /**
   * A header block as HEADERS plus CONTINUATION frames of at most maxFrameSize; `sizeUpdate` puts a dynamic table
   * size update to 0 in front of the block (RFC 7541 section 4.2).
   */
  headers(streamId: number, block: Buffer, endStream: boolean, maxFrameSize: number, sizeUpdate: boolean): void {
    const endFlag = endStream ? Flag.END_STREAM : 0;
    const length = block.length + (sizeUpdate ? 1 : 0);
    if (length <= maxFrameSize && length <= COPY_LIMIT) {
      this.reserve(FRAME_HEADER_BYTES + length);
      this.header(length, FrameType.HEADERS, Flag.END_HEADERS | endFlag, streamId);
      if (sizeUpdate) this.slab[this.pos++] = 0x20;
      this.pos += block.copy(this.slab, this.pos);
      return;
    }
    const whole = sizeUpdate ? Buffer.concat([Buffer.of(0x20), block]) : block;
    for (let offset = 0; offset < length; offset += maxFrameSize) {
      const end = Math.min(length, offset + maxFrameSize);
      const last = end === length ? Flag.END_HEADERS : 0;
      if (offset === 0) this.frame(FrameType.HEADERS, last | endFlag, streamId, whole, 0, end);
      else this.frame(FrameType.CONTINUATION, last, streamId, whole, offset, end);
    }
  }

  data(streamId: number, payload: Buffer, start: number, end: number, endStream: boolean): void {
    this.frame(FrameType.DATA, endStream ? Flag.END_STREAM : 0, streamId, payload, start, end);
  }

  private frame(type: number, flags: number, streamId: number, payload: Buffer, start: number, end: number): void {
    const length = end - start;
    if (length <= COPY_LIMIT) {
      this.reserve(FRAME_HEADER_BYTES + length);
      this.header(length, type, flags, streamId);
      this.pos += payload.copy(this.slab, this.pos, start, end);
      return;
    }
    this.reserve(FRAME_HEADER_BYTES);
    this.header(length, type, flags, streamId);
    this.endRun();
    this.pieces.push(payload.subarray(start, end));
  }

  private header(length: number, type: number, flags: number, streamId: number): void {
    const slab = this.slab;
    const p = this.pos;
    slab[p] = length >>> 16;
    slab[p + 1] = (length >>> 8) & 0xff;
    slab[p + 2] = length & 0xff;
    slab[p + 3] = type;
    slab[p + 4] = flags;
    slab.writeUInt32BE(streamId, p + 5);
    this.pos = p + FRAME_HEADER_BYTES;
  }

  private reserve(bytes: number): void {
    if (this.slab.length - this.pos >= bytes) return;
    this.endRun();
    this.slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, bytes));
    this.pos = 0;
    this.runStart = 0;
  }

  private endRun(): void {
    if (this.pos === this.runStart) return;
    this.pieces.push(this.slab.subarray(this.runStart, this.pos));
    this.runStart = this.pos;
  }
}
