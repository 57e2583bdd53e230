import { InferRequest } from '@mlops/contracts';
import type { InferenceResponse } from '../inference/inference-request';
import { encodeJsonData } from '../inference/json-tensor-codec';
import { hasRequestShape, parseHttpInferRequest } from './oip-http-request';
import { encodeHttpInferResponse } from './oip-http-response';

const X = { name: 'X', datatype: 'FP32', shape: [1, 2], data: [1, 2] };

// Bodies the cheap check must accept exactly when the schema does.
const BODIES: unknown[] = [
  { inputs: [X] },
  { id: 'a', parameters: { k: 1 }, inputs: [{ ...X, parameters: { binary_data_size: 8 } }], outputs: [{ name: 'y', parameters: { binary_data: true } }] },
  { parameters: { entities: {} } },
  { inputs: [X], extra: 1 },
  {},
  null,
  [],
  'text',
  { id: 3, inputs: [X] },
  { parameters: [], inputs: [X] },
  { parameters: null, inputs: [X] },
  { inputs: {} },
  { inputs: [null] },
  { inputs: [{ ...X, name: '' }] },
  { inputs: [{ ...X, name: 5 }] },
  { inputs: [{ ...X, datatype: '' }] },
  { inputs: [{ ...X, shape: [1, -1] }] },
  { inputs: [{ ...X, shape: [1.5] }] },
  { inputs: [{ ...X, shape: [2 ** 53] }] },
  { inputs: [{ ...X, shape: ['1'] }] },
  { inputs: [{ ...X, shape: 1 }] },
  { inputs: [{ ...X, parameters: 'p' }] },
  { inputs: [{ name: 'X', datatype: 'FP32' }] },
  { inputs: [X], outputs: {} },
  { inputs: [X], outputs: [{}] },
  { inputs: [X], outputs: [{ name: 'y', parameters: [1] }] },
];

describe('HTTP infer request parsing', () => {
  it.each(BODIES.map((body) => [JSON.stringify(body), body]))('gives the schema verdict for %s', (_text, body) => {
    expect(hasRequestShape(body)).toBe(InferRequest.safeParse(body).success);
  });

  it('still names the field the schema refuses', () => {
    expect(() => parseHttpInferRequest({ inputs: [{ ...X, shape: [1, -1] }] }, null, 4)).toThrow('request body inputs.0.shape.1:');
    expect(() => parseHttpInferRequest({ inputs: [X], outputs: [{}] }, null, 4)).toThrow('request body outputs.0.name:');
    expect(() => parseHttpInferRequest(null, null, 4)).toThrow('request body (root):');
  });

  it('reads inputs, outputs and binary parameters from an accepted body', () => {
    const parsed = parseHttpInferRequest({ id: 'r', inputs: [X], outputs: [{ name: 'y', parameters: { binary_data: true } }], parameters: { binary_data_output: false } }, null, 4);
    expect(parsed.request).toEqual({ id: 'r', inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 2], data: { kind: 'json', data: [1, 2] } }], features: null, outputs: ['y'] });
    expect([...parsed.binaryOutputs]).toEqual(['y']);
    expect(parsed.binaryByDefault).toBe(false);
  });
});

describe('HTTP infer response encoding', () => {
  const response: InferenceResponse = {
    modelName: 'm"odel',
    modelVersion: '2',
    id: 'id\n1',
    outputs: [
      { name: 'p', datatype: 'FP32', shape: [1, 3], values: Float32Array.from([0.1, -0, 1e-7]) },
      { name: 'nan', datatype: 'FP64', shape: [2], values: Float64Array.from([NaN, Infinity]) },
      { name: 'label', datatype: 'INT64', shape: [2], values: BigInt64Array.from([2n ** 60n + 1n, -3n]) },
      { name: 'flag', datatype: 'BOOL', shape: [2], values: Uint8Array.from([1, 0]) },
      { name: 'i8', datatype: 'INT8', shape: [1], values: Int8Array.from([-5]) },
      { name: 'text', datatype: 'BYTES', shape: [1], values: ['a"b'] },
    ],
  };

  it('writes the same JSON as JSON.stringify of the OIP response object', () => {
    const expected = JSON.stringify({
      model_name: response.modelName,
      model_version: response.modelVersion,
      id: response.id,
      outputs: response.outputs.map((o) => ({ name: o.name, datatype: o.datatype, shape: o.shape, data: encodeJsonData(o.datatype, o.values) })),
    });
    expect(encodeHttpInferResponse(response, () => false)).toEqual({ body: expected, headerLength: null });
  });

  it('puts binary outputs after the JSON header, sized in their parameters', () => {
    const encoded = encodeHttpInferResponse({ ...response, outputs: response.outputs.slice(0, 1) }, () => true);
    const header = JSON.parse((encoded.body as Buffer).subarray(0, encoded.headerLength as number).toString());
    expect(header.outputs).toEqual([{ name: 'p', datatype: 'FP32', shape: [1, 3], parameters: { binary_data_size: 12 } }]);
    const raw = Uint8Array.from((encoded.body as Buffer).subarray(encoded.headerLength as number));
    expect(Array.from(new Float32Array(raw.buffer))).toEqual(Array.from(response.outputs[0].values as Float32Array));
  });
});
