import { gzipSync } from 'node:zlib';
import { encodeGrpcMessage, frameMessage, GrpcStatus, metadataValue, parseGrpcTimeout, unaryRequestMessage } from './grpc-wire';

const compressedFrame = (payload: Buffer) => Buffer.concat([Buffer.from([1, 0, 0, 0, 0]), payload]).fill(payload.length, 4, 5);

describe('gRPC length-prefixed messages of a unary call', () => {
  it('takes the one message of a body, whether it came in one chunk or was concatenated', async () => {
    const body = frameMessage(Buffer.from('hello'));
    expect(body.subarray(0, 5)).toEqual(Buffer.from([0, 0, 0, 0, 5]));
    expect((await unaryRequestMessage(body, 'identity', 100)).toString()).toBe('hello');
    expect((await unaryRequestMessage(frameMessage(Buffer.alloc(0)), 'identity', 100)).length).toBe(0);
  });

  it('inflates a gzip-compressed message and refuses one that inflates past the limit', async () => {
    const packed = gzipSync(Buffer.from('x'.repeat(50)));
    expect((await unaryRequestMessage(compressedFrame(packed), 'gzip', 100)).toString()).toBe('x'.repeat(50));
    await expect(unaryRequestMessage(compressedFrame(packed), 'gzip', 10)).rejects.toMatchObject({ code: GrpcStatus.RESOURCE_EXHAUSTED });
    await expect(unaryRequestMessage(compressedFrame(Buffer.from('not gzip')), 'gzip', 100)).rejects.toMatchObject({ code: GrpcStatus.INTERNAL, details: 'Failed to decompress message' });
  });

  it('answers grpc-js statuses for no message, two messages, an oversize one and an unknown encoding', async () => {
    const two = Buffer.concat([frameMessage(Buffer.from('a')), frameMessage(Buffer.from('b'))]);
    await expect(unaryRequestMessage(Buffer.alloc(0), 'identity', 100)).rejects.toMatchObject({ code: GrpcStatus.UNIMPLEMENTED });
    await expect(unaryRequestMessage(frameMessage(Buffer.from('abc')).subarray(0, 6), 'identity', 100)).rejects.toMatchObject({ code: GrpcStatus.UNIMPLEMENTED });
    await expect(unaryRequestMessage(two, 'identity', 100)).rejects.toMatchObject({ code: GrpcStatus.UNIMPLEMENTED, details: expect.stringContaining('second request message') });
    await expect(unaryRequestMessage(frameMessage(Buffer.alloc(101)), 'identity', 100)).rejects.toMatchObject({ code: GrpcStatus.RESOURCE_EXHAUSTED, details: 'Received message larger than max (101 vs. 100)' });
    await expect(unaryRequestMessage(compressedFrame(Buffer.from('zz')), 'snappy', 100)).rejects.toMatchObject({ code: GrpcStatus.UNIMPLEMENTED, details: expect.stringContaining('"snappy"') });
  });
});

describe('gRPC headers', () => {
  it('percent-encodes grpc-message outside printable ASCII and the percent sign', () => {
    expect(encodeGrpcMessage("input 'X' has shape [1,3]")).toBe("input 'X' has shape [1,3]");
    expect(encodeGrpcMessage('100% é\n')).toBe('100%25 %C3%A9%0A');
  });

  it('reads grpc-timeout in every unit and rejects malformed values', () => {
    expect(parseGrpcTimeout('2S')).toBe(2000);
    expect(parseGrpcTimeout('1500m')).toBe(1500);
    expect(parseGrpcTimeout('1M')).toBe(60_000);
    expect(parseGrpcTimeout('250000u')).toBe(250);
    expect(parseGrpcTimeout('5')).toBeNull();
    expect(parseGrpcTimeout('123456789S')).toBeNull();
  });

  it('gives metadata values as grpc-js does: the first of a list, -bin values decoded', () => {
    const headers = { 'x-user': 'alice, bob', 'x-key-bin': Buffer.from('k1').toString('base64') };
    expect(metadataValue(headers, 'x-user')).toBe('alice');
    expect(metadataValue(headers, 'x-key-bin')).toBe('k1');
    expect(metadataValue(headers, 'absent')).toBeUndefined();
  });
});
