import { allocate, DATATYPES, elementCount, OipDatatype, TensorValues } from './datatypes';
import { invalid } from './inference-error';
import type { DecodedTensor } from './tensor';

/**
 * The raw encoding of OIP (gRPC raw_*_contents, HTTP binary extension): fixed-size elements little-endian and
 * row-major; BYTES elements each prefixed by a 4-byte little-endian length.
 */
export function decodeRaw(what: string, name: string, datatype: OipDatatype, shape: number[], raw: Uint8Array): DecodedTensor {
  const count = elementCount(shape);
  const buffer = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (datatype === 'BYTES') return { name, datatype, shape, values: decodeRawStrings(what, buffer, count) };
  const size = DATATYPES[datatype].size;
  if (buffer.length !== count * size) {
    throw invalid(`${what}: shape [${shape.join(',')}] of ${datatype} needs ${count * size} raw bytes, got ${buffer.length}`);
  }
  const values = allocate(datatype, count) as Exclude<TensorValues, string[]>;
  // Copied, not viewed: the received buffer need not be aligned for the element size.
  new Uint8Array(values.buffer, values.byteOffset, values.byteLength).set(buffer);
  if (datatype === 'BOOL') for (let i = 0; i < count; i++) values[i] = values[i] ? 1 : 0;
  return { name, datatype, shape, values };
}

function decodeRawStrings(what: string, buffer: Buffer, count: number): string[] {
  const strings: string[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    if (offset + 4 > buffer.length) throw invalid(`${what}: raw BYTES element ${strings.length} has a truncated length prefix`);
    const length = buffer.readUInt32LE(offset);
    offset += 4;
    if (offset + length > buffer.length) throw invalid(`${what}: raw BYTES element ${strings.length} runs past the end of the data`);
    strings.push(buffer.toString('utf8', offset, offset + length));
    offset += length;
  }
  if (strings.length !== count) throw invalid(`${what}: shape needs ${count} BYTES elements, raw data holds ${strings.length}`);
  return strings;
}

export function encodeRaw(datatype: OipDatatype, values: TensorValues): Buffer {
  if (datatype !== 'BYTES') {
    const typed = values as Exclude<TensorValues, string[]>;
    return Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength);
  }
  const parts: Buffer[] = [];
  for (const text of values as string[]) {
    const bytes = Buffer.from(text, 'utf8');
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32LE(bytes.length);
    parts.push(prefix, bytes);
  }
  return Buffer.concat(parts);
}
