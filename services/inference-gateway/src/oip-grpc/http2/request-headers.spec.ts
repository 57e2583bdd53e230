import { HeaderList } from './hpack-decoder';
import { requestHeaders } from './request-headers';

function list(fields: [string, string][], malformed = false): HeaderList {
  const out = new HeaderList();
  fields.forEach(([name, value], i) => {
    out.names[i] = name;
    out.values[i] = value;
  });
  out.length = fields.length;
  out.malformed = malformed;
  return out;
}

const REQUEST: [string, string][] = [
  [':method', 'POST'],
  [':scheme', 'http'],
  [':path', '/inference.GRPCInferenceService/ModelInfer'],
  [':authority', 'localhost'],
  ['content-type', 'application/grpc'],
  ['te', 'trailers'],
];

describe('request headers (RFC 9113 section 8.3)', () => {
  it('maps names to values, pseudo-headers included, repeated names to arrays in order', () => {
    const headers = requestHeaders(list([...REQUEST, ['x-k', 'a'], ['x-k', 'b'], ['x-k', 'c']]));
    expect(headers).toEqual(Object.assign(Object.create(null), Object.fromEntries(REQUEST), { 'x-k': ['a', 'b', 'c'] }));
  });

  it('inherits nothing a field name could reach or set', () => {
    const headers = requestHeaders(list([...REQUEST, ['__proto__', 'x'], ['constructor', 'y']])) as Record<string, unknown>;
    expect(Object.getPrototypeOf(Object.getPrototypeOf(headers))).toBeNull();
    expect(Object.getOwnPropertyNames(Object.getPrototypeOf(headers))).toEqual([]);
    expect([headers['__proto__'], headers['constructor'], headers['toString'], headers['hasOwnProperty']]).toEqual(['x', 'y', undefined, undefined]);
    expect(Object.keys(headers)).toContain('__proto__');
  });

  it.each<[string, [string, string][]]>([
    ['a pseudo-header after a regular field', [...REQUEST.slice(0, 4), ['content-type', 'application/grpc'], [':method', 'POST']]],
    ['an unknown pseudo-header', [[':protocol', 'websocket'], ...REQUEST]],
    ['a response pseudo-header', [[':status', '200'], ...REQUEST]],
    ['a repeated pseudo-header', [[':path', '/a'], ...REQUEST]],
    ['no :method', REQUEST.filter(([name]) => name !== ':method')],
    ['no :scheme', REQUEST.filter(([name]) => name !== ':scheme')],
    ['no :path', REQUEST.filter(([name]) => name !== ':path')],
    ['an empty :path', REQUEST.map(([name, value]): [string, string] => [name, name === ':path' ? '' : value])],
    ['connection', [...REQUEST, ['connection', 'keep-alive']]],
    ['keep-alive', [...REQUEST, ['keep-alive', '5']]],
    ['proxy-connection', [...REQUEST, ['proxy-connection', 'close']]],
    ['transfer-encoding', [...REQUEST, ['transfer-encoding', 'chunked']]],
    ['upgrade', [...REQUEST, ['upgrade', 'h2c']]],
    ['te other than trailers', [...REQUEST, ['te', 'gzip']]],
  ])('is malformed with %s', (_, fields) => {
    expect(requestHeaders(list(fields))).toBeNull();
  });

  it('is malformed when the decoder saw a forbidden octet', () => {
    expect(requestHeaders(list(REQUEST, true))).toBeNull();
  });

  it('takes CONNECT with only :method and :authority', () => {
    expect(requestHeaders(list([[':method', 'CONNECT'], [':authority', 'host:443']]))).toEqual(Object.assign(Object.create(null), { ':method': 'CONNECT', ':authority': 'host:443' }));
    expect(requestHeaders(list([[':method', 'CONNECT'], [':authority', 'host:443'], [':path', '/']]))).toBeNull();
    expect(requestHeaders(list([[':method', 'CONNECT']]))).toBeNull();
  });
});
