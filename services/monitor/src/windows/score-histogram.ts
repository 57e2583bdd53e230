/** Equal-width bins over [0, 1] for a classifier's P(1): what CBPE reads a window's scores from. */
export const SCORE_BINS = 1000;

export function newScoreHistogram(): number[] {
  return new Array<number>(SCORE_BINS).fill(0);
}

export function scoreBin(score: number): number {
  return Math.min(SCORE_BINS - 1, Math.max(0, Math.floor(score * SCORE_BINS)));
}

/** The midpoint of a bin, the score CBPE assigns to every prediction in it. */
export function binScore(bin: number): number {
  return (bin + 0.5) / SCORE_BINS;
}
