import { Injectable } from '@nestjs/common';
import type { VersionFacts } from '../facts/model-facts';

export interface CardAssessment {
  complete: boolean;
  /** The Model Card Toolkit sections (or fields) still empty. */
  missing: string[];
}

/**
 * The port the checks ask whether a version's model card is complete. The model-card feature provides the real
 * answer (human-edited considerations included) by binding its own class to this token.
 */
export const MODEL_CARD_COMPLETENESS = Symbol('MODEL_CARD_COMPLETENESS');

export interface ModelCardCompleteness {
  assess(version: VersionFacts): Promise<CardAssessment>;
}

/**
 * Until cards are written by people, the sections the platform fills itself: model details (an owner), parameters
 * and data (the dataset the version was trained on), and quantitative analysis (holdout metrics).
 */
@Injectable()
export class GeneratedSectionsCompleteness implements ModelCardCompleteness {
  async assess(version: VersionFacts): Promise<CardAssessment> {
    const missing = [
      ...(version.owner ? [] : ['model details: owner']),
      ...(version.datasetSha256 ? [] : ['parameters and data: training dataset']),
      ...(Object.keys(version.metrics).length ? [] : ['quantitative analysis: metrics']),
    ];
    return { complete: missing.length === 0, missing };
  }
}
