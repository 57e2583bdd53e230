import { BadGatewayException, Controller, NotFoundException, Res } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { registryRoutes as api, type RouteParams } from '@mlops/contracts';
import { ContractParams, ContractRoute } from '@mlops/service-kit';
import { IntegrityError, ObjectStore } from '@mlops/storage';
import { ModelVersionRepository } from '../model-versions/model-version.repository';

/**
 * The hash is known only after the last byte, so the artifact is verified into a scratch file before any byte is
 * sent: a caller gets either the recorded bytes or an error naming the mismatch, never altered bytes.
 */
@Controller()
export class DownloadArtifactController {
  constructor(
    private readonly versions: ModelVersionRepository,
    private readonly store: ObjectStore,
  ) {}

  @ContractRoute(api.downloadArtifact)
  async download(
    @ContractParams(api.downloadArtifact) { name, version: number }: RouteParams<typeof api.downloadArtifact>,
    @Res() response: ServerResponse,
  ): Promise<void> {
    const version = await this.versions.find(name, number);
    if (!version) throw new NotFoundException(`model ${name} has no version ${number}`);
    const scratch = await mkdtemp(join(tmpdir(), 'mlops-registry-download-'));
    const file = join(scratch, 'model.onnx');
    try {
      try {
        await pipeline(await this.store.openVerified(version.artifact.uri, version.artifact.sha256), createWriteStream(file));
      } catch (err) {
        if (err instanceof IntegrityError) {
          throw new BadGatewayException(
            `artifact of version ${number} of ${name} failed its integrity check: ${err.uri} has sha256 ${err.actual}, the registry recorded ${err.expected}`,
          );
        }
        throw err;
      }
      response.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(version.artifact.sizeBytes),
        'content-disposition': `attachment; filename="${name}-${number}.onnx"`,
        'x-mlops-artifact-sha256': version.artifact.sha256,
      });
      await pipeline(createReadStream(file), response);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
}
