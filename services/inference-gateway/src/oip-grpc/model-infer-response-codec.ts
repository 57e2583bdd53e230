/** ModelInferResponse as the gateway answers it: outputs described by name, datatype and shape, data in raw_output_contents. */
export interface RawModelInferResponse {
  model_name: string;
  model_version: string;
  id: string;
  outputs: { name: string; datatype: string; shape: number[] }[];
  raw_output_contents: Buffer[];
}

const LENGTH_DELIMITED = 2;
const tag = (field: number) => (field << 3) | LENGTH_DELIMITED;

/**
 * The protobuf encoding of a ModelInferResponse (grpc_predict_v2.proto field numbers), written in one pass into a
 * buffer sized beforehand: protobufjs's generic fromObject + encode cost more than the model run on a small
 * tabular model. Empty strings are left out, as proto3 allows; shapes are packed varints.
 */
export function encodeModelInferResponse(response: RawModelInferResponse): Buffer {
  const outputSizes = response.outputs.map(outputSize);
  let size = stringFieldSize(response.model_name) + stringFieldSize(response.model_version) + stringFieldSize(response.id);
  for (const outputBytes of outputSizes) size += 1 + varintSize(outputBytes) + outputBytes;
  for (const raw of response.raw_output_contents) size += 1 + varintSize(raw.length) + raw.length;
  const out = Buffer.allocUnsafe(size);
  let at = writeStringField(out, 0, 1, response.model_name);
  at = writeStringField(out, at, 2, response.model_version);
  at = writeStringField(out, at, 3, response.id);
  response.outputs.forEach((output, i) => {
    out[at++] = tag(5);
    at = writeVarint(out, at, outputSizes[i]);
    at = writeStringField(out, at, 1, output.name);
    at = writeStringField(out, at, 2, output.datatype);
    if (output.shape.length > 0) {
      out[at++] = tag(3);
      at = writeVarint(out, at, packedSize(output.shape));
      for (const dim of output.shape) at = writeVarint(out, at, dim);
    }
  });
  for (const raw of response.raw_output_contents) {
    out[at++] = tag(6);
    at = writeVarint(out, at, raw.length);
    at += raw.copy(out, at);
  }
  return out;
}

function outputSize(output: RawModelInferResponse['outputs'][number]): number {
  const shapeBytes = packedSize(output.shape);
  return stringFieldSize(output.name) + stringFieldSize(output.datatype) + (output.shape.length > 0 ? 1 + varintSize(shapeBytes) + shapeBytes : 0);
}

function packedSize(values: number[]): number {
  let size = 0;
  for (const value of values) size += varintSize(value);
  return size;
}

function stringFieldSize(text: string): number {
  if (text.length === 0) return 0;
  const bytes = Buffer.byteLength(text, 'utf8');
  return 1 + varintSize(bytes) + bytes;
}

function writeStringField(out: Buffer, at: number, field: number, text: string): number {
  if (text.length === 0) return at;
  out[at++] = tag(field);
  const bytes = Buffer.byteLength(text, 'utf8');
  at = writeVarint(out, at, bytes);
  return at + out.write(text, at, bytes, 'utf8');
}

/** Non-negative integers up to 2^53: tensor dimensions and lengths. */
function varintSize(value: number): number {
  let size = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

function writeVarint(out: Buffer, at: number, value: number): number {
  while (value >= 128) {
    out[at++] = (value % 128) | 128;
    value = Math.floor(value / 128);
  }
  out[at++] = value;
  return at;
}
