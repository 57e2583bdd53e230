import Fastify, { FastifyRequest } from 'fastify';
import { InferenceError } from '../inference/inference-error';
import { OipHttpBody, oipBodyParser } from './oip-http-body';

const parse = oipBodyParser(Fastify());

function parsed(body: Buffer, headers: Record<string, string> = {}): Promise<OipHttpBody> {
  return new Promise((resolve, reject) => parse({ headers } as unknown as FastifyRequest, body, (err, result) => (err ? reject(err) : resolve(result as OipHttpBody))));
}

describe('OIP HTTP body parser', () => {
  it('reads a JSON body whole, and with the binary extension its header length as JSON and the rest as raw bytes', async () => {
    expect(await parsed(Buffer.from('{"inputs":[]}'))).toEqual({ json: { inputs: [] }, binary: null });
    const body = Buffer.concat([Buffer.from('{"id":"b"}'), Buffer.from([1, 2, 3])]);
    expect(await parsed(body, { 'inference-header-content-length': '10' })).toEqual({ json: { id: 'b' }, binary: Buffer.from([1, 2, 3]) });
  });

  it.each([
    ['a header length past the body', '{}', { 'inference-header-content-length': '9' }, "inference-header-content-length 9 does not fit a body of 2 bytes"],
    ['a header length that is no number', '{}', { 'inference-header-content-length': 'two' }, 'inference-header-content-length two does not fit'],
    ['JSON that does not parse', '{"inputs": [', {}, 'request body is not valid JSON: '],
    ['a prototype in the JSON', '{"__proto__": {"x": 1}}', {}, 'request body is not valid JSON: '],
  ])('refuses %s as the caller\'s mistake', async (_case, text, headers, message) => {
    const refusal = parsed(Buffer.from(text), headers);
    await expect(refusal).rejects.toBeInstanceOf(InferenceError);
    await expect(refusal).rejects.toMatchObject({ kind: 'invalid_argument', message: expect.stringContaining(message) });
  });
});
