import type { OipDatatype, TensorValues } from './datatypes';

/** A tensor in the gateway's own terms, whichever protocol and encoding it arrived in or leaves by. */
export interface DecodedTensor {
  name: string;
  datatype: OipDatatype;
  shape: number[];
  values: TensorValues;
}
