import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const PROTO_PATH = join(__dirname, '..', '..', '..', 'proto', 'inference', 'grpc_predict_v2.proto');
export const PROTO_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

/** OIP datatypes of the onnxruntime tensor types the benchmark model answers with. */
export const DATATYPE_OF: Record<string, string> = { float32: 'FP32', int64: 'INT64' };

/** The parent reads the port from this line. */
export function announce(address: AddressInfo | string | null | number): void {
  const port = typeof address === 'object' && address ? address.port : Number(address);
  process.stdout.write(`listening ${port}\n`);
}
