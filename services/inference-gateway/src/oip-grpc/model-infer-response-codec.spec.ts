import * as protoLoader from '@grpc/proto-loader';
import { PROTO_OPTIONS, PROTO_PATH } from './oip-grpc-server';
import { encodeModelInferResponse, RawModelInferResponse } from './model-infer-response-codec';

const definition = protoLoader.loadSync(PROTO_PATH, PROTO_OPTIONS);
const modelInfer = (definition['inference.GRPCInferenceService'] as protoLoader.ServiceDefinition).ModelInfer;

describe('encodeModelInferResponse', () => {
  it('writes what protobufjs reads back as the same ModelInferResponse', () => {
    const response: RawModelInferResponse = {
      model_name: 'churn-ñ',
      model_version: '12',
      id: 'request "1"',
      outputs: [
        { name: 'label', datatype: 'INT64', shape: [3] },
        { name: 'probabilities', datatype: 'FP32', shape: [3, 2] },
        { name: 'big', datatype: 'FP32', shape: [300, 2 ** 40] },
      ],
      raw_output_contents: [Buffer.from(BigInt64Array.from([1n, 0n, 1n]).buffer), Buffer.alloc(200, 7), Buffer.alloc(0)],
    };
    const decoded = modelInfer.responseDeserialize(encodeModelInferResponse(response)) as Record<string, unknown>;
    expect(decoded).toMatchObject({
      model_name: 'churn-ñ',
      model_version: '12',
      id: 'request "1"',
      outputs: [
        { name: 'label', datatype: 'INT64', shape: ['3'] },
        { name: 'probabilities', datatype: 'FP32', shape: ['3', '2'] },
        { name: 'big', datatype: 'FP32', shape: ['300', String(2 ** 40)] },
      ],
    });
    expect((decoded.raw_output_contents as Buffer[]).map((b) => Buffer.from(b).toString('hex'))).toEqual(response.raw_output_contents.map((b) => b.toString('hex')));
  });

  it('decodes to the same message as protobufjs writes, empty strings and shapes included', () => {
    const response: RawModelInferResponse = { model_name: 'm', model_version: '', id: '', outputs: [{ name: 'scalar', datatype: 'FP64', shape: [] }], raw_output_contents: [Buffer.from([1, 2])] };
    const ours = modelInfer.responseDeserialize(encodeModelInferResponse(response));
    const theirs = modelInfer.responseDeserialize(modelInfer.responseSerialize(response));
    expect(ours).toEqual(theirs);
  });
});
