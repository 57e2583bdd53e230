import type { ManualEvidence, MlTestResult, MlTestScoreResponse, MlTestSection } from '@mlops/contracts';
import type { ModelFacts } from './model-facts';
import { ML_TESTS } from './rubric';

const SECTIONS: MlTestSection[] = ['data', 'model', 'infrastructure', 'monitoring'];

/**
 * Each test earns 1 point when the platform runs it automatically for the model, 0.5 when a manual run is recorded
 * with a link, 0 otherwise; the score is the lowest of the four section sums.
 */
export function scoreModel(modelName: string, facts: ModelFacts, manual: ReadonlyMap<string, ManualEvidence>): MlTestScoreResponse {
  const tests: MlTestResult[] = ML_TESTS.map((test) => {
    const automatic = test.automatic?.(facts) ?? null;
    const base = { id: test.id, section: test.section, title: test.title };
    if (automatic) return { ...base, points: 1, how: 'automatic', evidence: automatic, toEarnFull: null };
    const recorded = manual.get(test.id);
    if (recorded) {
      const by = `recorded by ${recorded.recordedBy} at ${recorded.recordedAt}: ${recorded.link}`;
      return { ...base, points: 0.5, how: 'manual', evidence: recorded.note ? `${by} (${recorded.note})` : by, toEarnFull: test.toEarnFull };
    }
    return { ...base, points: 0, how: 'missing', evidence: null, toEarnFull: test.toEarnFull };
  });
  const sections = SECTIONS.map((section) => ({
    section,
    points: tests.filter((t) => t.section === section).reduce((sum, t) => sum + t.points, 0),
  }));
  return {
    modelName,
    version: facts.version,
    score: Math.min(...sections.map((s) => s.points)),
    sections,
    tests,
    missing: tests.filter((t) => t.points < 1).map((t) => `${t.id} ${t.title}: ${t.toEarnFull}`),
  };
}
