import type { ServedSignature } from '../models/served-signature';
import type { FeatureCell, FeatureRows } from './feature-lookup';
import { parseFeatureRequest } from './feature-request';
import { assembleFeatureInput, featureInputSpec } from './feature-tensor';

const signature: ServedSignature = {
  inputs: [{ name: 'X', datatype: 'FP32', shape: [-1, 3] }],
  outputs: [{ name: 'label', datatype: 'INT64', shape: [-1] }],
};
const present = (value: number): FeatureCell => ({ value, status: 'PRESENT' });
const features = ['v:a', 'v:b', 'w:c'];

function request(parameters: Record<string, unknown> = {}) {
  const parsed = parseFeatureRequest({ entities: { customer_id: ['c-1', 'c-2'] }, features, ...parameters }, 100);
  if (!parsed) throw new Error('expected a feature request');
  return parsed;
}

describe('parseFeatureRequest', () => {
  it('is null for a request carrying its tensors inline', () => {
    expect(parseFeatureRequest({ binary_data_output: true }, 10)).toBeNull();
  });

  it('reads the entity keys, the ordered refs and the input to fill', () => {
    expect(parseFeatureRequest({ entities: { customer_id: ['c-1', 7] }, features: ['v:a'], input: 'X' }, 10)).toEqual({
      entities: { customer_id: ['c-1', 7] },
      features: ['v:a'],
      input: 'X',
      rows: 2,
    });
  });

  it('names the parameter and the reason when the request is malformed', () => {
    expect(() => parseFeatureRequest({ features }, 10)).toThrow('parameters.entities is missing');
    expect(() => parseFeatureRequest({ entities: { id: ['a'] } }, 10)).toThrow('parameters.features is missing');
    expect(() => parseFeatureRequest({ entities: ['a'], features }, 10)).toThrow('parameters.entities must be an object');
    expect(() => parseFeatureRequest({ entities: { id: [] }, features }, 10)).toThrow('parameters.entities.id must be a non-empty array');
    expect(() => parseFeatureRequest({ entities: { id: ['a', null] }, features }, 10)).toThrow('parameters.entities.id.1 must be a string or a number');
    expect(() => parseFeatureRequest({ entities: { id: ['a', 'b'], shop: ['s'] }, features }, 10)).toThrow('parameters.entities.shop has 1 keys, id has 2');
    expect(() => parseFeatureRequest({ entities: { id: ['a', 'b', 'c'] }, features }, 2)).toThrow('names 3 rows, more than the limit of 2');
    expect(() => parseFeatureRequest({ entities: { id: ['a'] }, features: ['v:a', 'nocolon'] }, 10)).toThrow("parameters.features.1 must be a feature ref 'view:feature'");
    expect(() => parseFeatureRequest({ entities: { id: ['a'] }, features, input: 3 }, 10)).toThrow('parameters.input must be the name of a model input');
  });
});

describe('featureInputSpec', () => {
  it("fills the model's only input by default, or the one named", () => {
    expect(featureInputSpec('m', signature, request()).name).toBe('X');
    const two: ServedSignature = { ...signature, inputs: [{ name: 'ids', datatype: 'INT64', shape: [-1] }, signature.inputs[0]] };
    expect(featureInputSpec('m', two, request({ input: 'X' })).name).toBe('X');
    expect(() => featureInputSpec('m', two, request())).toThrow("model m has inputs 'ids', 'X': parameters.input must name the one to fill");
    expect(() => featureInputSpec('m', signature, request({ input: 'Y' }))).toThrow("parameters.input 'Y' is not an input of model m");
  });

  it('refuses feature counts, ranks and datatypes that do not fit the signature', () => {
    expect(() => featureInputSpec('m', signature, request({ features: ['v:a'] }))).toThrow("input 'X' of model m takes 3 features per row, parameters.features names 1");
    const ints: ServedSignature = { ...signature, inputs: [{ name: 'X', datatype: 'INT32', shape: [-1, 3] }] };
    expect(() => featureInputSpec('m', ints, request())).toThrow('is INT32; features by entity key fill FP32 or FP64 inputs only');
    const flat: ServedSignature = { ...signature, inputs: [{ name: 'X', datatype: 'FP32', shape: [-1] }] };
    expect(() => featureInputSpec('m', flat, request())).toThrow('has shape [-1]; features by entity key fill a [rows, features] matrix');
    const fixed: ServedSignature = { ...signature, inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 3] }] };
    expect(() => featureInputSpec('m', fixed, request())).toThrow('takes exactly 1 rows, parameters.entities names 2');
  });
});

describe('assembleFeatureInput', () => {
  const spec = signature.inputs[0];

  it('lays the values out row-major, one row per entity key in request order, columns in feature order', () => {
    const fetched: FeatureRows = { features, rows: [[present(1), present(2), present(3)], [present(4.5), present(-5), present(0)]] };
    const input = assembleFeatureInput(spec, request(), fetched);
    expect(input).toMatchObject({ name: 'X', datatype: 'FP32', shape: [2, 3] });
    expect(input.data.kind === 'typed' && Array.from(input.data.values as Float32Array)).toEqual([1, 2, 3, 4.5, -5, 0]);
  });

  it('fills FP64 inputs at full precision', () => {
    const input = assembleFeatureInput({ ...spec, datatype: 'FP64' }, request({ entities: { customer_id: ['c-1'] } }), { features, rows: [[present(0.1), present(2), present(3)]] });
    expect(input.data.kind === 'typed' && input.data.values).toEqual(Float64Array.from([0.1, 2, 3]));
  });

  it('refuses a missing or expired value, naming the entity key and the feature, instead of scoring a zero', () => {
    const fetched: FeatureRows = {
      features,
      rows: [
        [present(1), present(2), present(3)],
        [present(1), { value: null, status: 'NOT_FOUND' }, { value: null, status: 'EXPIRED' }],
      ],
    };
    expect(() => assembleFeatureInput(spec, request(), fetched)).toThrow(
      "cannot assemble input 'X': feature 'v:b' of entity customer_id=c-2 is NOT_FOUND in the feature store; feature 'w:c' of entity customer_id=c-2 is EXPIRED (older than its view TTL)",
    );
  });

  it('refuses values that are not numbers and names every join key of a composite entity', () => {
    const composite = request({ entities: { customer_id: ['c-1'], shop_id: [42] } });
    const fetched: FeatureRows = { features, rows: [[present(1), { value: 'DE', status: 'PRESENT' }, { value: null, status: 'PRESENT' }]] };
    expect(() => assembleFeatureInput(spec, composite, fetched)).toThrow(
      `feature 'v:b' of entity customer_id=c-1,shop_id=42 is a string ("DE"), input 'X' needs a number; feature 'w:c' of entity customer_id=c-1,shop_id=42 is null`,
    );
  });

  it('lists the first problems and counts the rest', () => {
    const missing: FeatureCell = { value: null, status: 'NOT_FOUND' };
    const many = request({ entities: { customer_id: ['a', 'b', 'c'] } });
    const message = (() => {
      try {
        assembleFeatureInput(spec, many, { features, rows: [0, 1, 2].map(() => [missing, missing, missing]) });
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    expect(message.match(/NOT_FOUND/g)).toHaveLength(5);
    expect(message).toMatch(/; and 4 more$/);
  });
});
