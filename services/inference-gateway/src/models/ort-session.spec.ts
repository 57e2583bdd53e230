/** @jest-environment ./libs/ml/src/test-support/onnxruntime-environment.js */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { OrtSession } from './ort-session';

const MODEL = readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'models', 'sklearn-logreg-20.onnx'));
const OPTIONS = { intraOpNumThreads: 1, graphOptimizationLevel: 'all' } as const;

describe('OrtSession: onnxruntime through the native binding', () => {
  it('reports the model signature and answers exactly as the public InferenceSession does', async () => {
    const session = OrtSession.load(MODEL, OPTIONS);
    expect(session.inputMetadata).toEqual([{ name: 'X', isTensor: true, type: 'float32', shape: [null, 20] }]);
    expect(session.outputMetadata.map((m) => [m.name, m.type, m.shape])).toEqual([
      ['label', 'int64', [null]],
      ['probabilities', 'float32', [null, 2]],
    ]);
    const rows = Float32Array.from({ length: 60 }, (_, i) => Math.sin(i) * 3);
    const ours = session.run({ X: new Tensor('float32', rows, [3, 20]) });
    const reference = await (await InferenceSession.create(MODEL, OPTIONS)).run({ X: new Tensor('float32', rows, [3, 20]) });
    expect(ours.label.dims).toEqual([3]);
    expect(Array.from(ours.label.data as BigInt64Array)).toEqual(Array.from(reference.label.data as BigInt64Array));
    expect(Array.from(ours.probabilities.data as Float32Array)).toEqual(Array.from(reference.probabilities.data as Float32Array));
    session.release();
  });

  it("throws onnxruntime's error for bytes that are not a model, and refuses to run once released", () => {
    expect(() => OrtSession.load(Buffer.from('not a model'), OPTIONS)).toThrow(/protobuf|parse|model/i);
    const session = OrtSession.load(MODEL, OPTIONS);
    session.release();
    session.release();
    expect(() => session.run({ X: new Tensor('float32', new Float32Array(20), [1, 20]) })).toThrow(/released/);
  });

  it('throws for an input of the wrong shape instead of crashing', () => {
    const session = OrtSession.load(MODEL, OPTIONS);
    expect(() => session.run({ X: new Tensor('float32', new Float32Array(19), [1, 19]) })).toThrow();
    session.release();
  });
});
