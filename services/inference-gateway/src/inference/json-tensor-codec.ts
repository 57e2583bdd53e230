import { allocate, elementCount, OipDatatype, TensorValues } from './datatypes';
import { invalid } from './inference-error';
import type { DecodedTensor } from './tensor';

const INTEGER_RANGES: Partial<Record<OipDatatype, [number, number]>> = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
  UINT8: [0, 255],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** OIP allows `data` flat (row-major) or nested as the shape; both end up as one row-major array. */
function flatten(data: unknown, what: string): unknown[] {
  if (!Array.isArray(data)) throw invalid(`${what}: data must be an array`);
  if (!data.some(Array.isArray)) return data;
  const flat: unknown[] = [];
  const stack: unknown[] = [data];
  while (stack.length > 0) {
    const item = stack.pop();
    if (Array.isArray(item)) for (let i = item.length - 1; i >= 0; i--) stack.push(item[i]);
    else flat.push(item);
  }
  return flat;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 32)) : String(value);
}

/** `what` names the tensor in every error ("input 'X'"), so a caller sees which one is wrong. */
export function decodeJsonData(what: string, name: string, datatype: OipDatatype, shape: number[], data: unknown): DecodedTensor {
  const flat = flatten(data, what);
  const expected = elementCount(shape);
  if (flat.length !== expected) {
    throw invalid(`${what}: shape [${shape.join(',')}] needs ${expected} elements, data has ${flat.length}`);
  }
  const values = allocate(datatype, expected);
  const wrong = (index: number, needed: string) =>
    invalid(`${what}: element ${index} is ${describe(flat[index])}, expected ${needed} for datatype ${datatype}`);
  if (datatype === 'BYTES') {
    const strings = values as string[];
    for (let i = 0; i < expected; i++) {
      if (typeof flat[i] !== 'string') throw wrong(i, 'a string');
      strings[i] = flat[i] as string;
    }
  } else if (datatype === 'BOOL') {
    const bools = values as Uint8Array;
    for (let i = 0; i < expected; i++) {
      if (typeof flat[i] !== 'boolean') throw wrong(i, 'true or false');
      bools[i] = flat[i] ? 1 : 0;
    }
  } else if (datatype === 'FP32' || datatype === 'FP64') {
    const floats = values as Float32Array | Float64Array;
    for (let i = 0; i < expected; i++) {
      if (typeof flat[i] !== 'number') throw wrong(i, 'a number');
      floats[i] = flat[i] as number;
    }
  } else {
    const [min, max] = INTEGER_RANGES[datatype] as [number, number];
    const needed = `an integer in [${min}, ${max}]`;
    for (let i = 0; i < expected; i++) {
      const value = flat[i];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw wrong(i, needed);
    }
    if (datatype === 'INT64') {
      const longs = values as BigInt64Array;
      for (let i = 0; i < expected; i++) longs[i] = BigInt(flat[i] as number);
    } else {
      (values as Int32Array).set(flat as number[]);
    }
  }
  return { name, datatype, shape, values };
}

/** Row-major plain JSON values; INT64 beyond 2^53 loses precision, as it would in any JSON client. */
export function encodeJsonData(datatype: OipDatatype, values: TensorValues): Array<number | boolean | string> {
  if (datatype === 'BOOL') return Array.from(values as Uint8Array, (value) => value !== 0);
  if (datatype === 'INT64') return Array.from(values as BigInt64Array, Number);
  return Array.from(values as ArrayLike<number | string>);
}

/**
 * The JSON text of encodeJsonData's array, written straight from the typed array: no intermediate array of
 * boxed numbers on the response and prediction-log paths. Non-finite floats (which JSON writes as null) take
 * the general route.
 */
export function jsonDataText(datatype: OipDatatype, values: TensorValues): string {
  if (datatype === 'BYTES') return JSON.stringify(values);
  if (datatype === 'BOOL') {
    let text = '[';
    for (let i = 0; i < values.length; i++) text += (i === 0 ? '' : ',') + (values[i] ? 'true' : 'false');
    return text + ']';
  }
  if (datatype === 'INT64') return safeIntegersText(values as BigInt64Array) ?? JSON.stringify(encodeJsonData(datatype, values));
  if ((datatype === 'FP32' || datatype === 'FP64') && !allFinite(values as Float32Array | Float64Array)) return JSON.stringify(encodeJsonData(datatype, values));
  return '[' + (values as Exclude<TensorValues, string[] | BigInt64Array>).join(',') + ']';
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Null when a value is beyond 2^53, where the JSON number must be the nearest double, as encodeJsonData gives. */
function safeIntegersText(values: BigInt64Array): string | null {
  let text = '[';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value > MAX_SAFE || value < -MAX_SAFE) return null;
    text += (i === 0 ? '' : ',') + value;
  }
  return text + ']';
}

function allFinite(values: Float32Array | Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}
