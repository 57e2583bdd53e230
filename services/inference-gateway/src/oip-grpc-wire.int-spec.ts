import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { connect, ClientHttp2Session } from 'node:http2';
import { gzipSync } from 'node:zlib';
import { PROTO_OPTIONS, PROTO_PATH } from './oip-grpc/oip-grpc-server';
import { featureRows, GatewayHarness, referenceOutputs, uniqueModelName } from './testing/gateway-harness';
import { rawGrpcCall } from './testing/raw-grpc-call';

const INFER_PATH = '/inference.GRPCInferenceService/ModelInfer';
const infer = protoLoader.loadSync(PROTO_PATH, PROTO_OPTIONS)['inference.GRPCInferenceService'] as protoLoader.ServiceDefinition;

interface RawAnswer {
  status: number | undefined;
  grpcStatus: string | undefined;
  grpcMessage: string | undefined;
  body: Buffer;
}

/** The status as a client reads it: from the trailers, or from the headers of a trailers-only answer. */
async function rawCall(session: ClientHttp2Session, headers: Record<string, string>, body: Buffer): Promise<RawAnswer> {
  const answer = await rawGrpcCall(session, INFER_PATH, body, headers).answer;
  const pick = (name: string) => String(answer.trailers[name] ?? answer.headers[name] ?? '') || undefined;
  return { status: answer.headers[':status'] as number | undefined, grpcStatus: pick('grpc-status'), grpcMessage: pick('grpc-message'), body: answer.body };
}

const frame = (flag: number, payload: Buffer) => {
  const prefix = Buffer.alloc(5);
  prefix[0] = flag;
  prefix.writeUInt32BE(payload.length, 1);
  return Buffer.concat([prefix, payload]);
};

describe('inference gateway gRPC edge: HTTP/2 wire behaviour a stock gRPC client relies on', () => {
  let h: GatewayHarness;
  let session: ClientHttp2Session;
  const model = uniqueModelName('gw-wire');
  const rows = featureRows(1, 5);
  const request = () =>
    infer.ModelInfer.requestSerialize({ model_name: model, inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 20] }], raw_input_contents: [Buffer.from(Float32Array.from(rows.flat()).buffer)] });

  beforeAll(async () => {
    h = await GatewayHarness.start();
    await h.deploy({ modelName: model, revision: 1, champion: await h.upload(model, 1), challenger: null });
    await h.waitForRevision(model, 1);
    session = connect(`http://127.0.0.1:${h.grpcPort}`);
  });

  afterAll(async () => {
    session?.close();
    await h?.stop();
  });

  it('answers a gzip-compressed request, with the status in trailers after the message', async () => {
    const answer = await rawCall(session, { 'grpc-encoding': 'gzip' }, frame(1, gzipSync(request())));
    expect([answer.status, answer.grpcStatus]).toEqual([200, '0']);
    expect(answer.body.readUInt32BE(1)).toBe(answer.body.length - 5);
    const response = infer.ModelInfer.responseDeserialize(answer.body.subarray(5)) as { outputs: { name: string; shape: string[] }[]; raw_output_contents: Buffer[] };
    const label = response.outputs.findIndex((output) => output.name === 'label');
    expect(response.outputs[label].shape).toEqual(['1']);
    expect(Number(response.raw_output_contents[label].readBigInt64LE(0))).toBe((await referenceOutputs(rows)).label[0]);
  });

  it('refuses what is not a unary gRPC call, or is past its deadline, with the codes grpc-js uses', async () => {
    expect((await rawCall(session, { 'content-type': 'application/json' }, Buffer.from('{}'))).status).toBe(415);
    const unknown = await rawCall(session, { ':path': '/inference.GRPCInferenceService/Nope' }, frame(0, Buffer.alloc(0)));
    expect([unknown.grpcStatus, unknown.grpcMessage]).toEqual([String(grpc.status.UNIMPLEMENTED), 'The server does not implement the method /inference.GRPCInferenceService/Nope']);
    const none = await rawCall(session, {}, Buffer.alloc(0));
    expect(none.grpcStatus).toBe(String(grpc.status.UNIMPLEMENTED));
    const garbage = await rawCall(session, {}, frame(0, Buffer.from([0xff, 0xff, 0xff])));
    expect([garbage.grpcStatus, garbage.grpcMessage]).toEqual([String(grpc.status.INTERNAL), expect.stringContaining('Error deserializing request')]);
    const oversize = await rawCall(session, {}, Buffer.from([0, 0xff, 0xff, 0xff, 0xff]));
    expect(oversize.grpcStatus).toBe(String(grpc.status.RESOURCE_EXHAUSTED));
    const badTimeout = await rawCall(session, { 'grpc-timeout': 'soon' }, frame(0, request()));
    expect(badTimeout.grpcStatus).toBe(String(grpc.status.INTERNAL));
    const late = await rawCall(session, { 'grpc-timeout': '1n' }, frame(0, request()));
    expect([late.grpcStatus, late.grpcMessage]).toEqual([String(grpc.status.DEADLINE_EXCEEDED), 'Deadline exceeded']);
  });

  it('percent-encodes the reason of a caller mistake, and a stock client reads it back intact', async () => {
    const name = 'no-such-model-% é';
    const answer = await rawCall(session, {}, frame(0, infer.ModelInfer.requestSerialize({ model_name: name, inputs: [] })));
    expect(answer.grpcStatus).toBe(String(grpc.status.NOT_FOUND));
    expect(answer.grpcMessage).toContain('no-such-model-%25 %C3%A9');
    await expect(h.grpc('ModelInfer', { model_name: name, inputs: [] })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND, details: expect.stringContaining(name) });
  });
});
