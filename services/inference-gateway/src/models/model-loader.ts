import { Injectable } from '@nestjs/common';
import { Tensor } from 'onnxruntime-node';
import type { z } from 'zod';
import type { ServedVersion } from '@mlops/contracts';
import { ObjectStore } from '@mlops/storage';
import { allocate, DATATYPES } from '../inference/datatypes';
import { OrtSession, OrtSessionOptions } from './ort-session';
import { signatureOf, ServedSignature } from './served-signature';

/**
 * Tabular models run in microseconds: one thread per session, and no spinning between runs, since idle
 * onnxruntime threads spinning for work would take the cores the HTTP and gRPC servers need.
 */
const SESSION_OPTIONS: OrtSessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
};

export type ServedVersionData = z.infer<typeof ServedVersion>;

export interface LoadedSession {
  session: OrtSession;
  signature: ServedSignature;
}

/** Fetches an artifact with its sha256 checked, opens it and runs it once so the first real request is not the slow one. */
@Injectable()
export class ModelLoader {
  constructor(private readonly store: ObjectStore) {}

  async load(served: ServedVersionData): Promise<LoadedSession> {
    const bytes = await this.store.readVerified(served.artifact.uri, served.artifact.sha256);
    const session = OrtSession.load(bytes, SESSION_OPTIONS);
    try {
      const signature = signatureOf(session);
      warmUp(session, signature);
      return { session, signature };
    } catch (err) {
      session.release();
      throw err;
    }
  }
}

function warmUp(session: OrtSession, signature: ServedSignature): void {
  const feeds: Record<string, Tensor> = {};
  for (const input of signature.inputs) {
    const shape = input.shape.map((dim) => (dim < 0 ? 1 : dim));
    const count = shape.reduce((product, dim) => product * dim, 1);
    feeds[input.name] = new Tensor(DATATYPES[input.datatype].ort as Tensor.Type, allocate(input.datatype, count), shape);
  }
  session.run(feeds);
}
