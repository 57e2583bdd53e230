import { createHash } from 'node:crypto';
import { decodeModelProto } from '../onnx-proto';
import { ElementType, encodeOnnxModel, OnnxModel } from './onnx-model-builder';

const model: OnnxModel = {
  producerName: 'probe',
  producerVersion: '1',
  graphName: 'g',
  docString: 'doc ü',
  inputs: [{ name: 'x', type: ElementType.float, shape: [null, 3] }],
  outputs: [{ name: 'y', type: ElementType.int64, shape: [null] }],
  initializers: [
    { name: 'w', dims: [3], type: ElementType.float, values: [0.5, -1.25, 3] },
    { name: 'k', dims: [2], type: ElementType.int64, values: [-1, 300] },
  ],
  nodes: [
    {
      opType: 'TreeEnsembleClassifier',
      domain: 'ai.onnx.ml',
      inputs: ['x'],
      outputs: ['y', 'p'],
      name: 'n',
      attributes: {
        f: { kind: 'float', value: 0 },
        i: { kind: 'int', value: -2 },
        s: { kind: 'string', value: 'LOGISTIC' },
        fs: { kind: 'floats', value: [1.5, NaN] },
        is: { kind: 'ints', value: [0, 2 ** 40] },
        ss: { kind: 'strings', value: ['a', ''] },
      },
    },
  ],
  metadata: { b: '2', a: '1' },
};

describe('encodeOnnxModel', () => {
  it('writes the bytes the hand-written encoder it replaced wrote: zero and negative values, packed numbers, sorted metadata', () => {
    const bytes = encodeOnnxModel(model);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe('6a170113044b5b4d84f7bdf275d9da14c58c4e211429de09e16bd2573d686539');
  });

  it('is read back field for field through onnx.proto', () => {
    const decoded = decodeModelProto(encodeOnnxModel(model));
    expect(decoded).toMatchObject({ irVersion: 8, producerName: 'probe', modelVersion: 1, docString: 'doc ü' });
    expect(decoded.opsetImport).toEqual([{ domain: '', version: 17 }, { domain: 'ai.onnx.ml', version: 3 }]);
    expect(decoded.metadataProps).toEqual([{ key: 'a', value: '1' }, { key: 'b', value: '2' }]);
    const attributes = decoded.graph!.node![0].attribute!;
    expect(attributes.map((a) => [a.name, a.type])).toEqual([['f', 1], ['i', 2], ['s', 3], ['fs', 6], ['is', 7], ['ss', 8]]);
    expect(attributes[1].i).toBe(-2);
    expect(attributes[4].ints).toEqual([0, 2 ** 40]);
    expect(decoded.graph!.initializer![1]).toEqual({ name: 'k', dims: [2], dataType: 7, int64Data: [-1, 300] });
    expect(decoded.graph!.input![0].type!.tensorType!.shape!.dim).toEqual([{}, { dimValue: 3 }]);
  });

  it('refuses an initializer whose values do not fill its dims', () => {
    expect(() => encodeOnnxModel({ ...model, initializers: [{ name: 'w', dims: [2, 2], type: ElementType.float, values: [1] }] })).toThrow(
      'initializer w: dims 2x2 need 4 values, got 1',
    );
  });
});
