import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, RequirePermission } from '@mlops/auth';
import { ManualEvidence, ManualEvidenceRequest, MlTestScoreResponse } from '@mlops/contracts';
import { modelNameParam, openApiSchema, parseInput } from '../http/request-input';
import { RecordManualEvidence } from './record-manual-evidence.use-case';
import { ScoreModel } from './score-model.use-case';

@ApiTags('ml test score')
@Controller('models/:name/ml-test-score')
export class MlTestScoreController {
  constructor(
    private readonly scoreModel: ScoreModel,
    private readonly recordManualEvidence: RecordManualEvidence,
  ) {}

  @Get()
  @RequirePermission('governance:read')
  @ApiOkResponse({
    description: 'The 28 tests of Breck et al. with their points and evidence, the four section sums, the score (their minimum) and what is missing',
    schema: openApiSchema(MlTestScoreResponse),
  })
  score(@Param('name', modelNameParam) name: string): Promise<MlTestScoreResponse> {
    return this.scoreModel.execute(name);
  }

  @Post('evidence')
  @HttpCode(201)
  @RequirePermission('cards:write')
  @ApiBody({ description: 'A manual run of one test, with a link to its record', schema: openApiSchema(ManualEvidenceRequest, 'input') })
  @ApiCreatedResponse({ description: 'The evidence as recorded (it replaces an earlier record of the same test)', schema: openApiSchema(ManualEvidence) })
  record(@Param('name', modelNameParam) name: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<ManualEvidence> {
    return this.recordManualEvidence.execute(name, parseInput(ManualEvidenceRequest, body, 'body'), principal.name);
  }
}
