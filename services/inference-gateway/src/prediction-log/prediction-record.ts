import type { DecodedTensor } from '../inference/tensor';
import type { Role } from '../traffic/traffic-router';

/** One answered prediction, as the data plane hands it to the log. */
export interface PredictionRecord {
  requestId: string;
  modelName: string;
  version: number;
  role: Role;
  inputs: DecodedTensor[];
  outputs: DecodedTensor[];
  latencyMs: number;
  at: Date;
}

