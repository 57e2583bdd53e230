import { Inject, Injectable } from '@nestjs/common';
import type { InferInput } from '../inference/inference-request';
import type { ServedSignature } from '../models/served-signature';
import { FEATURE_LOOKUP, FeatureLookup } from './feature-lookup';
import type { FeatureRequest } from './feature-request';
import { assembleFeatureInput, featureInputSpec } from './feature-tensor';

/** Turns a request's entity keys into the model input they stand for: checked against the signature, fetched, laid out. */
@Injectable()
export class EntityFeatureInput {
  constructor(@Inject(FEATURE_LOOKUP) private readonly lookup: FeatureLookup) {}

  /** The signature is checked first, so a request that cannot fit the model costs no feature store round trip. */
  async build(model: string, signature: ServedSignature, request: FeatureRequest): Promise<InferInput> {
    const spec = featureInputSpec(model, signature, request);
    const fetched = await this.lookup.fetch(request.features, request.entities);
    return assembleFeatureInput(spec, request, fetched);
  }
}
