import { TensorSlab } from './tensor-slab';

/** OIP v2 datatypes the gateway can feed to and read from onnxruntime. */
export const OIP_DATATYPES = ['BOOL', 'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'FP32', 'FP64', 'BYTES'] as const;
export type OipDatatype = (typeof OIP_DATATYPES)[number];

export type TensorValues =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | string[];

interface DatatypeInfo {
  /** onnxruntime's element type name. */
  ort: string;
  /** Bytes per element in the raw (little-endian) encoding; 0 for BYTES, which is length-prefixed. */
  size: number;
}

export const DATATYPES: Record<OipDatatype, DatatypeInfo> = {
  BOOL: { ort: 'bool', size: 1 },
  INT8: { ort: 'int8', size: 1 },
  INT16: { ort: 'int16', size: 2 },
  INT32: { ort: 'int32', size: 4 },
  INT64: { ort: 'int64', size: 8 },
  UINT8: { ort: 'uint8', size: 1 },
  FP32: { ort: 'float32', size: 4 },
  FP64: { ort: 'float64', size: 8 },
  BYTES: { ort: 'string', size: 0 },
};

const BY_ORT = new Map<string, OipDatatype>(OIP_DATATYPES.map((datatype) => [DATATYPES[datatype].ort, datatype]));

export function isOipDatatype(value: string): value is OipDatatype {
  return (OIP_DATATYPES as readonly string[]).includes(value);
}

/** null when the model uses an element type the gateway does not serve (float16, complex, ...). */
export function datatypeOfOrtType(ortType: string): OipDatatype | null {
  return BY_ORT.get(ortType) ?? null;
}

const slab = new TensorSlab();

/** Zeroed values for `count` elements; numeric ones share slabs (TensorSlab). */
export function allocate(datatype: OipDatatype, count: number): TensorValues {
  switch (datatype) {
    case 'BOOL':
    case 'UINT8':
      return slab.carve(Uint8Array, count);
    case 'INT8':
      return slab.carve(Int8Array, count);
    case 'INT16':
      return slab.carve(Int16Array, count);
    case 'INT32':
      return slab.carve(Int32Array, count);
    case 'INT64':
      return slab.carve(BigInt64Array, count);
    case 'FP32':
      return slab.carve(Float32Array, count);
    case 'FP64':
      return slab.carve(Float64Array, count);
    case 'BYTES':
      return new Array<string>(count).fill('');
  }
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}
