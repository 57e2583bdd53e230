import { Controller, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { PublicRoute, RequirePermission } from '@mlops/auth';
import type { Metadata } from '@grpc/grpc-js';
import { InferenceDataPlane, ModelMetadata } from '../inference/inference-data-plane';
import { invalid } from '../inference/inference-error';
import type { InferInput } from '../inference/inference-request';
import { encodeRaw } from '../inference/raw-tensor-codec';
import { valuesFromContents } from './grpc-tensor-contents';
import { OipGrpcErrorFilter } from './oip-grpc-error.filter';
import { ModelInferRequest, ModelInferResponse, ModelRef } from './model-infer-messages';

const SERVICE = 'GRPCInferenceService';

/** OIP's GRPCInferenceService: each method translates its message for the data plane the REST edge calls too. */
@Controller()
@UseFilters(OipGrpcErrorFilter)
export class OipGrpcController {
  constructor(private readonly dataPlane: InferenceDataPlane) {}

  @GrpcMethod(SERVICE, 'ServerLive')
  @PublicRoute()
  serverLive(): { live: boolean } {
    return { live: this.dataPlane.serverLive() };
  }

  @GrpcMethod(SERVICE, 'ServerReady')
  @PublicRoute()
  serverReady(): { ready: boolean } {
    return { ready: this.dataPlane.serverReady().ready };
  }

  /** A version that names nothing deployed is simply not ready. */
  @GrpcMethod(SERVICE, 'ModelReady')
  @RequirePermission('inference:call')
  modelReady(request: ModelRef): { ready: boolean } {
    try {
      return { ready: this.dataPlane.modelReady(request.name, request.version) };
    } catch {
      return { ready: false };
    }
  }

  @GrpcMethod(SERVICE, 'ServerMetadata')
  @RequirePermission('inference:call')
  serverMetadata(): { name: string; version: string; extensions: string[] } {
    return this.dataPlane.serverMetadata();
  }

  @GrpcMethod(SERVICE, 'ModelMetadata')
  @RequirePermission('inference:call')
  modelMetadata(request: ModelRef): ModelMetadata {
    return this.dataPlane.modelMetadata(request.name, request.version);
  }

  @GrpcMethod(SERVICE, 'ModelInfer')
  @RequirePermission('inference:call')
  async modelInfer(request: ModelInferRequest, metadata: Metadata): Promise<ModelInferResponse> {
    const raw = request.raw_input_contents;
    if (raw.length > 0 && raw.length !== request.inputs.length) throw invalid(`raw_input_contents has ${raw.length} entries for ${request.inputs.length} inputs`);
    const inputs: InferInput[] = request.inputs.map((input, index) => ({
      name: input.name,
      datatype: input.datatype,
      shape: input.shape.map(Number),
      data: raw.length > 0 ? { kind: 'raw', bytes: raw[index] } : { kind: 'typed', values: valuesFromContents(input.datatype, input.contents) },
    }));
    const routingKey = (name: string) => {
      const parameter = request.parameters[name];
      if (parameter?.string_param !== undefined) return parameter.string_param;
      if (parameter?.int64_param !== undefined) return parameter.int64_param;
      const value = metadata.get(name.toLowerCase())[0];
      return value === undefined ? undefined : value.toString();
    };
    const response = await this.dataPlane.infer({
      protocol: 'grpc',
      modelName: request.model_name,
      version: request.model_version,
      id: request.id,
      inputs,
      outputs: request.outputs.map((output) => output.name),
      routingKey,
    });
    return {
      model_name: response.modelName,
      model_version: response.modelVersion,
      id: response.id,
      outputs: response.outputs.map((output) => ({ name: output.name, datatype: output.datatype, shape: output.shape })),
      raw_output_contents: response.outputs.map((output) => encodeRaw(output.datatype, output.values)),
    };
  }
}
