import type { TensorValues } from '../inference/datatypes';

/** InferTensorContents as proto-loader hands it over (keepCase, int64 as decimal strings, bytes as Buffers). */
export interface TensorContents {
  bool_contents?: boolean[];
  int_contents?: number[];
  int64_contents?: (string | number)[];
  uint_contents?: number[];
  uint64_contents?: (string | number)[];
  fp32_contents?: number[];
  fp64_contents?: number[];
  bytes_contents?: Buffer[];
}

/** The typed field OIP assigns to each datatype; a datatype with none yields nothing, and validation says so. */
export function valuesFromContents(datatype: string, contents: TensorContents | null | undefined): TensorValues {
  const c = contents ?? {};
  switch (datatype) {
    case 'BOOL':
      return Uint8Array.from(c.bool_contents ?? [], (value) => (value ? 1 : 0));
    case 'INT8':
      return Int8Array.from(c.int_contents ?? []);
    case 'INT16':
      return Int16Array.from(c.int_contents ?? []);
    case 'INT32':
      return Int32Array.from(c.int_contents ?? []);
    case 'INT64':
      return BigInt64Array.from(c.int64_contents ?? [], (value) => BigInt(value));
    case 'UINT8':
      return Uint8Array.from(c.uint_contents ?? []);
    case 'FP32':
      return Float32Array.from(c.fp32_contents ?? []);
    case 'FP64':
      return Float64Array.from(c.fp64_contents ?? []);
    case 'BYTES':
      return (c.bytes_contents ?? []).map((bytes) => Buffer.from(bytes).toString('utf8'));
    default:
      return [];
  }
}
