import { Controller, Req, UnsupportedMediaTypeException } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Principal } from '@mlops/auth';
import { type ModelVersion, registryRoutes as api, type RouteParams, type RouteQuery } from '@mlops/contracts';
import { ContractParams, ContractQuery, ContractRoute } from '@mlops/service-kit';
import { UploadVersion } from './upload-version.use-case';

@Controller()
export class UploadVersionController {
  constructor(private readonly uploadVersion: UploadVersion) {}

  @ContractRoute(api.uploadVersion)
  async upload(
    @ContractParams(api.uploadVersion) { name }: RouteParams<typeof api.uploadVersion>,
    @ContractQuery(api.uploadVersion) query: RouteQuery<typeof api.uploadVersion>,
    @Req() request: IncomingMessage & { principal?: Principal },
  ): Promise<ModelVersion> {
    // Governance keeps whoever uploads a version from approving it.
    const details = { ...query, registeredBy: request.principal?.name ?? null };
    const type = request.headers['content-type'] ?? '';
    if (!type.startsWith('application/octet-stream')) {
      throw new UnsupportedMediaTypeException(`send the model file as the body with content-type application/octet-stream, got "${type}"`);
    }
    return this.uploadVersion.execute(name, request, details);
  }
}
