import type { HeaderList } from './hpack-decoder';

/**
 * A request's fields by lowercase name, pseudo-headers (':path', ...) included; a name that came more than once
 * maps to its values in order. Nothing is inherited, so no field name can shadow or set anything.
 */
export type RequestHeaders = Record<string, string | string[] | undefined>;

/**
 * The prototype of every header object: itself without one. V8 keeps Object.create(null) objects in dictionary
 * mode, where each field added costs about twice as much as on an ordinary object built from this.
 */
const NOTHING_INHERITED: object = Object.create(null);

/**
 * The request's header object, or null when RFC 9113 section 8.3 calls the request malformed (a stream error of
 * type PROTOCOL_ERROR): a forbidden octet in a field, a pseudo-header that is unknown, repeated, missing or after a
 * regular field, an empty :path, or a connection-specific field.
 */
export function requestHeaders(list: HeaderList): RequestHeaders | null {
  if (list.malformed) return null;
  const headers: RequestHeaders = Object.create(NOTHING_INHERITED);
  let regularSeen = false;
  for (let i = 0; i < list.length; i++) {
    const name = list.names[i];
    const value = list.values[i];
    if (name.charCodeAt(0) === 0x3a) {
      if (regularSeen || !isRequestPseudoHeader(name) || headers[name] !== undefined) return null;
      headers[name] = value;
      continue;
    }
    regularSeen = true;
    if (isConnectionSpecific(name, value)) return null;
    const earlier = headers[name];
    if (earlier === undefined) headers[name] = value;
    else if (typeof earlier === 'string') headers[name] = [earlier, value];
    else earlier.push(value);
  }
  // CONNECT names only the authority (RFC 9113 section 8.5); every other request a scheme and a non-empty path.
  if (headers[':method'] === 'CONNECT') {
    return headers[':scheme'] === undefined && headers[':path'] === undefined && headers[':authority'] !== undefined ? headers : null;
  }
  return headers[':method'] !== undefined && headers[':scheme'] !== undefined && headers[':path'] ? headers : null;
}

function isRequestPseudoHeader(name: string): boolean {
  return name === ':method' || name === ':path' || name === ':scheme' || name === ':authority';
}

/** RFC 9113 section 8.2.2: HTTP/1.1 connection fields have no place in HTTP/2; `te` may only say "trailers". */
function isConnectionSpecific(name: string, value: string): boolean {
  switch (name.length) {
    case 2:
      return name === 'te' && value !== 'trailers';
    case 7:
      return name === 'upgrade';
    case 10:
      return name === 'connection' || name === 'keep-alive';
    case 16:
      return name === 'proxy-connection';
    case 17:
      return name === 'transfer-encoding';
    default:
      return false;
  }
}
