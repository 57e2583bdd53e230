import type { MlTestSection } from '@mlops/contracts';
import type { ModelFacts } from './model-facts';

/** One test of Breck et al., "The ML Test Score: A Rubric for ML Production Readiness and Technical Debt Reduction" (2017). */
export interface MlTest {
  id: string;
  section: MlTestSection;
  title: string;
  /** The evidence when the platform runs this test itself for the model; null when it does not (yet). */
  automatic?: (facts: ModelFacts) => string | null;
  /** What earns the full point. */
  toEarnFull: string;
}

const MANUAL = 'record the manual test with a link (0.5 points); no automatic check on the platform covers it';
const passed = (facts: ModelFacts, pattern: RegExp) => facts.checks.filter((c) => c.passed && pattern.test(c.name)).map((c) => c.name);
const evidence = (condition: boolean, text: string) => (condition ? text : null);

function manual(section: MlTestSection, number: number, title: string): MlTest {
  return { id: `${section}-${number}`, section, title, toEarnFull: MANUAL };
}

export const ML_TESTS: readonly MlTest[] = [
  {
    id: 'data-1',
    section: 'data',
    title: 'Feature expectations are captured in a schema',
    automatic: (f) => evidence(f.trainedOnFeatureViews, 'trained on feature views whose records are validated against the view schema (rejects go to the DLQ)'),
    toEarnFull: 'train the model from feature-store views',
  },
  manual('data', 2, 'All features are beneficial'),
  manual('data', 3, "No feature's cost is too much"),
  manual('data', 4, 'Features adhere to meta-level requirements'),
  manual('data', 5, 'The data pipeline has appropriate privacy controls'),
  manual('data', 6, 'New features can be added quickly'),
  manual('data', 7, 'All input feature code is tested'),
  {
    id: 'model-1',
    section: 'model',
    title: 'Model specs are reviewed and submitted',
    automatic: (f) => evidence(f.reviewedBy.length > 0, `approved after review by ${f.reviewedBy.join(', ')}`),
    toEarnFull: 'have the version approved by a person (automatic approval is no review)',
  },
  {
    id: 'model-2',
    section: 'model',
    title: 'Offline and online metrics correlate',
    automatic: (f) => evidence(f.labelsObserved > 0, `${f.labelsObserved} labels observed; the monitor compares live performance with the holdout baseline`),
    toEarnFull: 'send ground-truth labels to mlops.labels.observed',
  },
  manual('model', 3, 'All hyperparameters have been tuned'),
  manual('model', 4, 'The impact of model staleness is known'),
  manual('model', 5, 'A simpler model is not better'),
  manual('model', 6, 'Model quality is sufficient on all important data slices'),
  {
    id: 'model-7',
    section: 'model',
    title: 'The model has been tested for considerations of inclusion',
    automatic: (f) => {
      const checks = passed(f, /gap|fair|group|sensitive|slice/i);
      return evidence(checks.length > 0, `passed ${checks.join(', ')}`);
    },
    toEarnFull: 'declare a sensitive attribute in the policy so the group-gap check runs',
  },
  {
    id: 'infrastructure-1',
    section: 'infrastructure',
    title: 'Training is reproducible',
    automatic: (f) => evidence(f.reproducible, 'seeded trainer; run, dataset sha256 and code version on record'),
    toEarnFull: 'train with the platform trainer so the run, dataset hash and code version are recorded',
  },
  manual('infrastructure', 2, 'Model specs are unit tested'),
  manual('infrastructure', 3, 'The ML pipeline is integration tested'),
  {
    id: 'infrastructure-4',
    section: 'infrastructure',
    title: 'Model quality is validated before attempting to serve it',
    automatic: (f) => {
      const checks = passed(f, /floor|regress|champion/i);
      return evidence(f.approved && checks.length > 0, `approved after passing ${checks.join(', ')}`);
    },
    toEarnFull: 'pass metric-floor or no-regression checks and be approved',
  },
  {
    id: 'infrastructure-5',
    section: 'infrastructure',
    title: 'The model allows debugging by observing the step-by-step computation on a single example',
    automatic: (f) => evidence(f.predictionsLogged > 0, `${f.predictionsLogged} predictions logged with their inputs and outputs`),
    toEarnFull: 'serve the model through the gateway, which logs every prediction',
  },
  {
    id: 'infrastructure-6',
    section: 'infrastructure',
    title: 'Models are tested via a canary process before they enter production serving',
    automatic: (f) => evidence(f.canaried, 'served as a challenger before becoming champion'),
    toEarnFull: 'deploy the version as a canary, shadow or A/B challenger before promoting it',
  },
  {
    id: 'infrastructure-7',
    section: 'infrastructure',
    title: 'Models can be quickly and safely rolled back to a previous serving version',
    automatic: (f) => evidence(f.rollbackTarget, 'an earlier champion is on record; revoking an approval rolls back to it'),
    toEarnFull: 'have an earlier approved version served as champion',
  },
  manual('monitoring', 1, 'Dependency changes result in notification'),
  {
    id: 'monitoring-2',
    section: 'monitoring',
    title: 'Data invariants hold in training and serving inputs',
    automatic: (f) => evidence(f.hasReferenceProfile && f.predictionsLogged > 0, 'serving inputs compared with the training reference profile'),
    toEarnFull: 'serve a version that has a training reference profile through the gateway',
  },
  {
    id: 'monitoring-3',
    section: 'monitoring',
    title: 'Training and serving features compute the same values',
    automatic: (f) => evidence(f.trainedOnFeatureViews, 'one feature-view definition serves training (point in time) and online values'),
    toEarnFull: 'train the model from feature-store views',
  },
  {
    id: 'monitoring-4',
    section: 'monitoring',
    title: 'Models are not too stale',
    automatic: (f) => evidence(f.retrainedAutomatically, 'retraining requested by a schedule or the monitor'),
    toEarnFull: 'set a training schedule or let the monitor request retraining',
  },
  manual('monitoring', 5, 'The model is numerically stable'),
  {
    id: 'monitoring-6',
    section: 'monitoring',
    title: 'Computing performance has not regressed',
    automatic: (f) => evidence(f.predictionsLogged > 0, 'latency of every prediction logged and exported as gateway metrics with alert rules'),
    toEarnFull: 'serve the model through the gateway',
  },
  {
    id: 'monitoring-7',
    section: 'monitoring',
    title: 'Prediction quality has not regressed',
    automatic: (f) => evidence(f.labelsObserved > 0, `${f.labelsObserved} labels joined to predictions for live performance`),
    toEarnFull: 'send ground-truth labels to mlops.labels.observed',
  },
];
