import { validFieldName, validFieldValue } from './field-syntax';
import { STATIC_TABLE } from './hpack-static-table';
import { decodeHuffman, huffmanDecodedBound } from './huffman';

/** A header block that cannot be decoded: for HTTP/2 a connection error of type COMPRESSION_ERROR. */
export class HpackError extends Error {}

/** RFC 7541 section 4.1: an entry's size is its name and value octets plus 32. */
const ENTRY_OVERHEAD = 32;
const NAME_OK = 1;
const VALUE_OK = 2;
const FIELD_OK = NAME_OK | VALUE_OK;
const LARGEST_INTEGER = 0x7fffffff;

/** The fields of one decoded header block. Reused from block to block: read it before the next decode. */
export class HeaderList {
  readonly names: string[] = [];
  readonly values: string[] = [];
  length = 0;
  /** What SETTINGS_MAX_HEADER_LIST_SIZE counts: name and value octets plus 32 per field. */
  size = 0;
  /** A name or value RFC 9113 forbids: the request is malformed. */
  malformed = false;
  /** Past the size limit; the fields beyond it were still decoded (the dynamic table must follow) but not kept. */
  tooLarge = false;

  clear(): void {
    this.length = 0;
    this.size = 0;
    this.malformed = false;
    this.tooLarge = false;
  }
}

/**
 * HPACK decoding (RFC 7541) for one connection's request headers. Strings are latin1, one character per octet, as
 * HTTP/2 fields are octets. The syntax check of a literal is done once, on its octets, and kept with its dynamic
 * table entry, so fields referenced by index (most of them, once a client's encoder has warmed up) cost a lookup.
 */
export class HpackDecoder {
  /** The dynamic table as a ring, newest entry at head - 1; it cannot hold more than limit / 32 entries. */
  private readonly names: string[];
  private readonly values: string[];
  private readonly sizes: Uint32Array;
  private readonly checks: Uint8Array;
  private readonly capacity: number;
  private head = 0;
  private count = 0;
  private tableSize = 0;
  private maxTableSize: number;
  private pos = 0;
  private stringOk = false;
  private scratch = Buffer.alloc(0);

  /**
   * @param limit our SETTINGS_HEADER_TABLE_SIZE: the most a size update may set the table to
   * @param maxListSize past this many octets (as SETTINGS_MAX_HEADER_LIST_SIZE counts them) a list is too large
   */
  constructor(
    private readonly limit: number,
    private readonly maxListSize: number,
  ) {
    this.capacity = Math.max(1, Math.floor(limit / ENTRY_OVERHEAD));
    this.names = new Array<string>(this.capacity).fill('');
    this.values = new Array<string>(this.capacity).fill('');
    this.sizes = new Uint32Array(this.capacity);
    this.checks = new Uint8Array(this.capacity);
    this.maxTableSize = limit;
  }

  /** Decodes the complete header block block[start, end) into list; throws HpackError when it cannot. */
  decode(block: Buffer, start: number, end: number, list: HeaderList): void {
    list.clear();
    this.pos = start;
    let fieldSeen = false;
    while (this.pos < end) {
      const first = block[this.pos];
      if (first & 0x80) {
        this.indexed(block, end, list);
      } else if (first & 0x40) {
        this.literal(block, end, 6, true, list);
      } else if (first & 0x20) {
        // RFC 7541 section 4.2: a size update comes first in a block, before any field.
        if (fieldSeen) throw new HpackError('dynamic table size update after a field');
        const size = this.integer(block, end, 5);
        if (size > this.limit) throw new HpackError(`dynamic table size update to ${size}, above the limit of ${this.limit}`);
        this.maxTableSize = size;
        this.evictTo(size);
        continue;
      } else {
        // Without indexing (0000) and never indexed (0001) read alike; the distinction matters to re-encoders only.
        this.literal(block, end, 4, false, list);
      }
      fieldSeen = true;
    }
  }

  private indexed(block: Buffer, end: number, list: HeaderList): void {
    const index = this.integer(block, end, 7);
    if (index === 0) throw new HpackError('indexed field with index 0');
    if (index <= STATIC_TABLE.length) {
      const [name, value] = STATIC_TABLE[index - 1];
      this.emit(list, name, value, FIELD_OK);
      return;
    }
    const slot = this.slot(index);
    this.emit(list, this.names[slot], this.values[slot], this.checks[slot]);
  }

  private literal(block: Buffer, end: number, prefixBits: number, indexing: boolean, list: HeaderList): void {
    const nameIndex = this.integer(block, end, prefixBits);
    let name: string;
    let checks: number;
    if (nameIndex === 0) {
      name = this.string(block, end, true);
      checks = this.stringOk ? NAME_OK : 0;
    } else if (nameIndex <= STATIC_TABLE.length) {
      name = STATIC_TABLE[nameIndex - 1][0];
      checks = NAME_OK;
    } else {
      const slot = this.slot(nameIndex);
      name = this.names[slot];
      checks = this.checks[slot] & NAME_OK;
    }
    const value = this.string(block, end, false);
    if (this.stringOk) checks |= VALUE_OK;
    if (indexing) this.insert(name, value, checks);
    this.emit(list, name, value, checks);
  }

  /** RFC 7541 section 5.1; values past 2^31 - 1 or taking more than 5 continuation octets are refused. */
  private integer(block: Buffer, end: number, prefixBits: number): number {
    const mask = (1 << prefixBits) - 1;
    let value = block[this.pos++] & mask;
    if (value < mask) return value;
    for (let shift = 0; ; shift += 7) {
      if (shift > 28) throw new HpackError('integer encoding too long');
      if (this.pos >= end) throw new HpackError('header block ends inside an integer');
      const octet = block[this.pos++];
      value += (octet & 0x7f) * (1 << shift);
      if ((octet & 0x80) === 0) break;
    }
    if (value > LARGEST_INTEGER) throw new HpackError('integer too large');
    return value;
  }

  /** RFC 7541 section 5.2; sets stringOk to whether its octets pass the field syntax check. */
  private string(block: Buffer, end: number, isName: boolean): string {
    if (this.pos >= end) throw new HpackError('header block ends before a string');
    const huffman = (block[this.pos] & 0x80) !== 0;
    const length = this.integer(block, end, 7);
    if (length > end - this.pos) throw new HpackError('string literal runs past the header block');
    const start = this.pos;
    this.pos += length;
    let bytes = block;
    let from = start;
    let to = start + length;
    if (huffman) {
      const bound = huffmanDecodedBound(length);
      if (this.scratch.length < bound) this.scratch = Buffer.allocUnsafe(Math.max(bound, 256));
      to = decodeHuffman(block, start, start + length, this.scratch);
      if (to < 0) throw new HpackError('invalid Huffman-coded string');
      bytes = this.scratch;
      from = 0;
    }
    this.stringOk = isName ? validFieldName(bytes, from, to) : validFieldValue(bytes, from, to);
    return bytes.toString('latin1', from, to);
  }

  private emit(list: HeaderList, name: string, value: string, checks: number): void {
    list.size += name.length + value.length + ENTRY_OVERHEAD;
    if (list.size > this.maxListSize) {
      list.tooLarge = true;
      return;
    }
    if (checks !== FIELD_OK) list.malformed = true;
    list.names[list.length] = name;
    list.values[list.length] = value;
    list.length++;
  }

  /** The ring slot of HPACK index `index` (past the static table). */
  private slot(index: number): number {
    const age = index - STATIC_TABLE.length - 1;
    if (age >= this.count) throw new HpackError(`index ${index} is past the end of the dynamic table`);
    return (this.head - 1 - age + this.capacity) % this.capacity;
  }

  /** RFC 7541 section 4.4: evict until the entry fits; an entry larger than the whole table empties it. */
  private insert(name: string, value: string, checks: number): void {
    const size = name.length + value.length + ENTRY_OVERHEAD;
    this.evictTo(this.maxTableSize - size);
    if (size > this.maxTableSize) return;
    this.names[this.head] = name;
    this.values[this.head] = value;
    this.sizes[this.head] = size;
    this.checks[this.head] = checks;
    this.head = (this.head + 1) % this.capacity;
    this.count++;
    this.tableSize += size;
  }

  private evictTo(size: number): void {
    while (this.count > 0 && this.tableSize > size) {
      const oldest = (this.head - this.count + this.capacity) % this.capacity;
      this.tableSize -= this.sizes[oldest];
      this.names[oldest] = '';
      this.values[oldest] = '';
      this.count--;
    }
  }
}
