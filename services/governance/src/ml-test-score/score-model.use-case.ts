import { Injectable } from '@nestjs/common';
import { eventType, MlTestScoreResponse } from '@mlops/contracts';
import { EventHistoryReader } from '../audit-log/event-history';
import { HourlyCountsRepository } from '../high-volume-counts/hourly-counts.repository';
import { MlTestEvidenceRepository } from './ml-test-evidence.repository';
import { FACT_TOPICS, modelFactsOf } from './model-facts';
import { scoreModel } from './score';

/** A model's ML Test Score from the evidence the platform holds and the manual runs people recorded. */
@Injectable()
export class ScoreModel {
  constructor(
    private readonly eventHistory: EventHistoryReader,
    private readonly hourlyCounts: HourlyCountsRepository,
    private readonly evidence: MlTestEvidenceRepository,
  ) {}

  async execute(modelName: string): Promise<MlTestScoreResponse> {
    const [history, predictionsLogged, labelsObserved, manual] = await Promise.all([
      this.eventHistory.read(modelName, FACT_TOPICS),
      this.hourlyCounts.total(modelName, eventType('mlops.predictions.logged')),
      this.hourlyCounts.total(modelName, eventType('mlops.labels.observed')),
      this.evidence.ofModel(modelName),
    ]);
    return scoreModel(modelName, modelFactsOf(history, { predictionsLogged, labelsObserved }), manual);
  }
}
