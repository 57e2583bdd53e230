import { BadRequestException, Body, Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal, Principal, RequirePermission } from '@mlops/auth';
import { TrainingRequested } from '@mlops/contracts';
import { InvalidHyperparameters } from '@mlops/ml';
import { TrainingRequestRepository, TrainingRequestStatus } from '../training-requests/training-request.repository';
import { SubmitTrainingRequest } from './submit-training-request.use-case';

/** The contract's request; the id is optional here (the trainer assigns one), and giving one makes a retried POST safe. */
/**
 * Who asked is the caller, never a field: separation of duties keeps the requester from approving the version, so
 * the body cannot name someone else. A requestedBy still sent by older clients is replaced.
 */
const SubmittedRequest = TrainingRequested.extend({
  requestId: TrainingRequested.shape.requestId.optional(),
  requestedBy: TrainingRequested.shape.requestedBy.optional(),
});
const RequestId = z.uuid();

const issuesOf = (error: z.ZodError) => error.issues.map((i) => `body.${i.path.join('.') || '(root)'}: ${i.message}`);

@ApiTags('training-requests')
@Controller('training-requests')
export class TrainingRequestsController {
  constructor(
    private readonly submitRequest: SubmitTrainingRequest,
    private readonly requests: TrainingRequestRepository,
  ) {}

  @Post()
  @RequirePermission('training:write')
  @HttpCode(202)
  @ApiBody({
    description: 'A mlops.training.requested payload (requestId optional); published through the outbox',
    schema: {
      example: {
        modelName: 'churn',
        featureRefs: ['usage:minutes', 'usage:tickets'],
        labelSource: { kind: 'dataset', uri: 's3://mlops-datasets/labels/churn.csv' },
        algorithm: 'gbdt_classifier',
        hyperparameters: { numIterations: 200, learningRate: 0.05 },
        split: { policy: 'time', holdoutFraction: 0.2 },
        seed: 7,
      },
    },
  })
  @ApiAcceptedResponse({ description: '{ requestId, status: "queued" }: follow it with GET /training-requests/{requestId}' })
  @ApiBadRequestResponse({ description: 'The body breaks the contract or the algorithm\'s hyperparameters; the message names each field' })
  async submit(@Body() body: unknown, @CurrentPrincipal() caller: Principal): Promise<{ requestId: string; status: 'queued' }> {
    const parsed = SubmittedRequest.safeParse(body ?? {});
    if (!parsed.success) throw new BadRequestException(issuesOf(parsed.error));
    try {
      return await this.submitRequest.execute({ ...parsed.data, requestedBy: caller.name });
    } catch (err) {
      if (!(err instanceof InvalidHyperparameters)) throw err;
      throw new BadRequestException(err.issues.map((i) => `body.hyperparameters.${i.field}: ${i.reason}`));
    }
  }

  @Get(':requestId')
  @RequirePermission('training:read')
  @ApiParam({ name: 'requestId', description: 'the id POST /training-requests returned (or any training request id)' })
  @ApiOkResponse({
    description: 'queued; training with progress { iteration, totalIterations } (GBDT rounds); completed with runId; failed with reason and attempts',
  })
  @ApiBadRequestResponse({ description: 'The id is not a uuid' })
  @ApiNotFoundResponse({ description: 'The trainer knows no such request' })
  async status(@Param('requestId') requestId: string): Promise<TrainingRequestStatus> {
    if (!RequestId.safeParse(requestId).success) throw new BadRequestException(`path.requestId: must be a uuid, got ${JSON.stringify(requestId)}`);
    const status = await this.requests.status(requestId);
    if (!status) throw new NotFoundException(`no training request ${requestId}`);
    return status;
  }
}
