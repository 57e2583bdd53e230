import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidOnnxModel, inspectOnnxModel } from './onnx-model-inspector';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../test/fixtures/models', name));

describe('inspectOnnxModel', () => {
  it('reads the signature, opset and producer of a scikit-learn model', async () => {
    const signature = await inspectOnnxModel(fixture('sklearn-logreg-20.onnx'));
    expect(signature.inputs).toEqual([{ name: 'X', elementType: 'float32', shape: [null, 20] }]);
    expect(signature.outputs.map((o) => o.name)).toEqual(['label', 'probabilities']);
    expect(signature.outputs[1]).toEqual({ name: 'probabilities', elementType: 'float32', shape: [null, 2] });
    expect(signature.opset).toBe(17);
    expect(signature.producer).toMatch(/^skl2onnx /);
  });

  it('rejects bytes that are not a model with the parser reason', async () => {
    await expect(inspectOnnxModel(Buffer.from('definitely not protobuf'))).rejects.toBeInstanceOf(InvalidOnnxModel);
  });

  it('rejects a truncated model', async () => {
    const bytes = fixture('sklearn-logreg-20.onnx');
    await expect(inspectOnnxModel(bytes.subarray(0, bytes.length - 40))).rejects.toThrow(/not a valid ONNX model/);
  });
});
