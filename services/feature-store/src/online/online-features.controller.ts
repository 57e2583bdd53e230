import { BadRequestException, Body, Controller, Headers, UnsupportedMediaTypeException } from '@nestjs/common';
import { featureStoreRoutes as api } from '@mlops/contracts';
import { ContractRoute } from '@mlops/service-kit';
import { InvalidOnlineRequestError, OnlineFeatures, OnlineFeaturesResult } from './online-features';
import { parseOnlineRequest } from './online-request';

// What the JSON body parser reads: application/json, with or without parameters.
const JSON_CONTENT = /^application\/json\s*(?:;|$)/i;

/**
 * POST /online-features: the REST adapter of the online read. Its body is checked by the contract after the
 * content type (a pipe would run first and refuse a form body for the wrong reason), with the gRPC read's wording.
 */
@Controller()
export class OnlineFeaturesController {
  constructor(private readonly online: OnlineFeatures) {}

  @ContractRoute(api.readOnline)
  async read(@Headers('content-type') contentType: string | undefined, @Body() body: unknown): Promise<OnlineFeaturesResult> {
    // Without this a form or text body would reach validation as nothing at all and be refused for the wrong reason.
    if (!JSON_CONTENT.test(contentType ?? '')) {
      throw new UnsupportedMediaTypeException(`content-type: expected application/json, got ${contentType || 'none'}`);
    }
    const parsed = parseOnlineRequest(body);
    if (!parsed.ok) throw new BadRequestException(parsed.reasons);
    try {
      return await this.online.read(parsed.request.entities, parsed.request.features);
    } catch (err) {
      if (err instanceof InvalidOnlineRequestError) throw new BadRequestException(err.message);
      throw err;
    }
  }
}
