// thrift (under parquetjs) requires the ESM-only uuid package, which jest's CommonJS runtime cannot load. Specs that
// read or write Parquet map that one module to this stand-in; Parquet never encodes UUID fields, and it still converts
// them correctly.
export const parse = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/-/g, ''), 'hex'));

export const stringify = (bytes: Uint8Array): string =>
  Buffer.from(bytes).toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
