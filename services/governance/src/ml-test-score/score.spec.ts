import type { ManualEvidence } from '@mlops/contracts';
import type { ModelFacts } from './model-facts';
import { ML_TESTS } from './rubric';
import { scoreModel } from './score';

const nothing: ModelFacts = {
  version: null,
  trainedOnFeatureViews: false,
  reproducible: false,
  reviewedBy: [],
  checks: [],
  approved: false,
  canaried: false,
  rollbackTarget: false,
  hasReferenceProfile: false,
  retrainedAutomatically: false,
  predictionsLogged: 0,
  labelsObserved: 0,
};

const everything: ModelFacts = {
  version: 3,
  trainedOnFeatureViews: true,
  reproducible: true,
  reviewedBy: ['erin'],
  checks: [
    { name: 'metric-floor', passed: true, detail: 'auc >= 0.8' },
    { name: 'group-gap', passed: true, detail: 'auc gap 0.02 <= 0.05' },
  ],
  approved: true,
  canaried: true,
  rollbackTarget: true,
  hasReferenceProfile: true,
  retrainedAutomatically: true,
  predictionsLogged: 100,
  labelsObserved: 40,
};

const manual = (test: string): ManualEvidence => ({
  modelName: 'churn',
  test,
  link: `https://wiki.example/${test}`,
  recordedBy: 'dana',
  recordedAt: '2026-01-01T00:00:00.000Z',
});

describe('ML Test Score', () => {
  it('holds the 28 tests of the rubric, seven in each of the four sections', () => {
    expect(ML_TESTS).toHaveLength(28);
    expect(new Set(ML_TESTS.map((t) => t.id)).size).toBe(28);
    for (const section of ['data', 'model', 'infrastructure', 'monitoring']) {
      expect(ML_TESTS.filter((t) => t.section === section).map((t) => t.id)).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `${section}-${n}`));
    }
  });

  it('scores 0 with every test missing when the platform holds nothing', () => {
    const result = scoreModel('churn', nothing, new Map());
    expect(result.score).toBe(0);
    expect(result.missing).toHaveLength(28);
    expect(result.tests.every((t) => t.how === 'missing' && t.points === 0)).toBe(true);
  });

  it('gives a point per automatic check, half a point per recorded manual run, and the minimum of the section sums', () => {
    const recorded = new Map(['data-2', 'data-3', 'model-3', 'monitoring-5'].map((id) => [id, manual(id)]));
    const result = scoreModel('churn', everything, recorded);
    expect(result.sections).toEqual([
      { section: 'data', points: 2 },
      { section: 'model', points: 3.5 },
      { section: 'infrastructure', points: 5 },
      { section: 'monitoring', points: 5.5 },
    ]);
    expect(result.score).toBe(2);
    expect(result.tests.find((t) => t.id === 'data-2')).toMatchObject({ points: 0.5, how: 'manual', evidence: expect.stringContaining('https://wiki.example/data-2') });
    expect(result.tests.find((t) => t.id === 'model-7')).toMatchObject({ points: 1, how: 'automatic', evidence: 'passed group-gap' });
    expect(result.missing).toContain('data-4 Features adhere to meta-level requirements: record the manual test with a link (0.5 points); no automatic check on the platform covers it');
  });

  it('prefers the automatic point to a manual record, and counts only checks that passed', () => {
    const failedCheck = { ...everything, checks: [{ name: 'metric-floor', passed: false, detail: 'auc 0.6 < 0.8' }] };
    const result = scoreModel('churn', failedCheck, new Map([['data-1', manual('data-1')]]));
    expect(result.tests.find((t) => t.id === 'data-1')).toMatchObject({ points: 1, how: 'automatic' });
    expect(result.tests.find((t) => t.id === 'infrastructure-4')).toMatchObject({ points: 0, how: 'missing' });
  });
});
