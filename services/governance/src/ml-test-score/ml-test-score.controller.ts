import { Controller } from '@nestjs/common';
import { CurrentPrincipal, Principal } from '@mlops/auth';
import { governanceRoutes as api, type ManualEvidence, type MlTestScoreResponse, type RouteBody, type RouteParams } from '@mlops/contracts';
import { ContractBody, ContractParams, ContractRoute } from '@mlops/service-kit';
import { RecordManualEvidence } from './record-manual-evidence.use-case';
import { ScoreModel } from './score-model.use-case';

@Controller()
export class MlTestScoreController {
  constructor(
    private readonly scoreModel: ScoreModel,
    private readonly recordManualEvidence: RecordManualEvidence,
  ) {}

  @ContractRoute(api.mlTestScore)
  score(@ContractParams(api.mlTestScore) { name }: RouteParams<typeof api.mlTestScore>): Promise<MlTestScoreResponse> {
    return this.scoreModel.execute(name);
  }

  @ContractRoute(api.recordMlTestEvidence)
  record(
    @ContractParams(api.recordMlTestEvidence) { name }: RouteParams<typeof api.recordMlTestEvidence>,
    @ContractBody(api.recordMlTestEvidence) evidence: RouteBody<typeof api.recordMlTestEvidence>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ManualEvidence> {
    return this.recordManualEvidence.execute(name, evidence, principal.name);
  }
}
