import type { OrtSession, OrtValueMetadata } from './ort-session';
import { datatypeOfOrtType, OipDatatype } from '../inference/datatypes';

export interface ServedTensorSpec {
  name: string;
  datatype: OipDatatype;
  /** -1 marks a dimension of any size (symbolic in the model), as OIP metadata writes it. */
  shape: number[];
}

export interface ServedSignature {
  inputs: ServedTensorSpec[];
  outputs: ServedTensorSpec[];
}

/** Read from the loaded session itself, so what the gateway checks requests against is what will run. */
export function signatureOf(session: OrtSession): ServedSignature {
  return {
    inputs: session.inputMetadata.map((meta) => specOf(meta, 'input')),
    outputs: session.outputMetadata.map((meta) => specOf(meta, 'output')),
  };
}

function specOf(meta: OrtValueMetadata, role: string): ServedTensorSpec {
  if (!meta.isTensor) throw new Error(`${role} '${meta.name}' is not a tensor; only tensor inputs and outputs are served`);
  const datatype = meta.type === null ? null : datatypeOfOrtType(meta.type);
  if (!datatype) throw new Error(`${role} '${meta.name}' has element type ${meta.type ?? 'unknown'}, which the gateway does not serve`);
  return { name: meta.name, datatype, shape: meta.shape.map((dim) => dim ?? -1) };
}
