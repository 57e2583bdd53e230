import { Inject, Injectable } from '@nestjs/common';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway-config';
import type { DecodedTensor } from '../inference/tensor';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import type { LoadedModel } from '../models/loaded-model';
import type { ServedSignature } from '../models/served-signature';
import { DynamicBatcher, runSettled } from './dynamic-batcher';
import { runSession } from './ort-tensors';

/** Runs a model directly, or through its dynamic batcher when batching is on for it (batchingApplies). */
@Injectable()
export class SessionRunner {
  private readonly batchers = new WeakMap<LoadedModel, DynamicBatcher | null>();
  private readonly batchSizes = new WeakMap<LoadedModel, (rows: number) => void>();

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly metrics: GatewayMetrics,
  ) {}

  run(model: LoadedModel, inputs: DecodedTensor[]): Promise<DecodedTensor[]> {
    const batcher = this.batcherOf(model);
    if (batcher) return batcher.submit(inputs);
    this.observe(model, inputs[0]?.shape[0] ?? 0);
    return runSettled(() => runSession(model, inputs));
  }

  private batcherOf(model: LoadedModel): DynamicBatcher | null {
    let batcher = this.batchers.get(model);
    if (batcher === undefined) {
      const { maxBatchSize, maxQueueDelayUs } = this.config.batching;
      batcher =
        batchingApplies(model.signature, this.config.batching)
          ? new DynamicBatcher({ maxBatchSize, maxQueueDelayUs }, (batch) => runSession(model, batch), (rows) => this.observe(model, rows))
          : null;
      this.batchers.set(model, batcher);
    }
    return batcher;
  }

  private observe(model: LoadedModel, rows: number): void {
    let observe = this.batchSizes.get(model);
    if (!observe) {
      const child = this.metrics.batchSize.labels({ model: model.name, version: String(model.version) });
      observe = (n) => child.observe(n);
      this.batchSizes.set(model, observe);
    }
    observe(rows);
  }
}

/** Whether a model gets a dynamic batcher: batching on, shapes that allow it, and rows small enough (see the config). */
export function batchingApplies(signature: ServedSignature, batching: GatewayConfig['batching']): boolean {
  if (batching.maxBatchSize <= 1 || !batchable(signature)) return false;
  if (batching.maxRowElements === 0) return true;
  const rowElements = signature.inputs.reduce((total, spec) => total + spec.shape.slice(1).reduce((product, dim) => product * dim, 1), 0);
  return rowElements <= batching.maxRowElements;
}

function batchable(signature: ServedSignature): boolean {
  return [...signature.inputs, ...signature.outputs].every((spec) => spec.shape.length > 0 && spec.shape[0] < 0 && spec.shape.slice(1).every((dim) => dim >= 0));
}
