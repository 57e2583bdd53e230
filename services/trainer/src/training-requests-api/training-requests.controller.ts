import { BadRequestException, Controller, NotFoundException } from '@nestjs/common';
import { CurrentPrincipal, Principal } from '@mlops/auth';
import { type RouteBody, type RouteParams, type RouteResponse, trainerRoutes as api } from '@mlops/contracts';
import { InvalidHyperparameters } from '@mlops/ml';
import { ContractBody, ContractParams, ContractRoute } from '@mlops/service-kit';
import { TrainingRequestRepository } from '../training-requests/training-request.repository';
import { SubmitTrainingRequest } from './submit-training-request.use-case';

@Controller()
export class TrainingRequestsController {
  constructor(
    private readonly submitRequest: SubmitTrainingRequest,
    private readonly requests: TrainingRequestRepository,
  ) {}

  /** Who asked is the caller (the key's principal), whatever the body says. */
  @ContractRoute(api.submitTrainingRequest)
  async submit(
    @ContractBody(api.submitTrainingRequest) body: RouteBody<typeof api.submitTrainingRequest>,
    @CurrentPrincipal() caller: Principal,
  ): Promise<RouteResponse<typeof api.submitTrainingRequest>> {
    try {
      return await this.submitRequest.execute({ ...body, requestedBy: caller.name });
    } catch (err) {
      if (!(err instanceof InvalidHyperparameters)) throw err;
      throw new BadRequestException(err.issues.map((i) => `body.hyperparameters.${i.field}: ${i.reason}`));
    }
  }

  @ContractRoute(api.trainingRequestStatus)
  async status(
    @ContractParams(api.trainingRequestStatus) { requestId }: RouteParams<typeof api.trainingRequestStatus>,
  ): Promise<RouteResponse<typeof api.trainingRequestStatus>> {
    const status = await this.requests.status(requestId);
    if (!status) throw new NotFoundException(`no training request ${requestId}`);
    return status;
  }
}
