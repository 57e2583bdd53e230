/**
 * The histogram inner loop, kept as JavaScript source because it runs both on the training thread and inside
 * eval'd worker threads (which cannot load this package's TypeScript): one source, so every thread adds the
 * same numbers in the same order. Bins are row-major bytes read four at a time through a Uint32Array whose
 * rows are padded to whole words; feature f's (gradient, hessian) sums for bin b sit at hist[(f * 256 + b) * 2].
 * A padding byte is bin 0 of a feature that does not exist, so it lands in a slot that is never read.
 */
export const ACCUMULATE_HISTOGRAM_SOURCE = `function accumulateHistogram(hist, words, wordsPerRow, rows, start, end, gradHess) {
  for (let i = start; i < end; i++) {
    const r = rows[i];
    const g = gradHess[2 * r];
    const h = gradHess[2 * r + 1];
    for (let p = r * wordsPerRow, slot = 0, last = p + wordsPerRow; p < last; p++, slot += 2048) {
      const x = words[p];
      let o = slot + ((x & 255) << 1);
      hist[o] += g;
      hist[o + 1] += h;
      o = slot + 512 + ((x >>> 7) & 510);
      hist[o] += g;
      hist[o + 1] += h;
      o = slot + 1024 + ((x >>> 15) & 510);
      hist[o] += g;
      hist[o + 1] += h;
      o = slot + 1536 + ((x >>> 23) & 510);
      hist[o] += g;
      hist[o + 1] += h;
    }
  }
}`;

export type AccumulateHistogram = (
  hist: Float64Array,
  words: Uint32Array,
  wordsPerRow: number,
  rows: Int32Array,
  start: number,
  end: number,
  gradHess: Float64Array,
) => void;

// compiled from the constant above, never from outside input
export const accumulateHistogram = new Function(`return ${ACCUMULATE_HISTOGRAM_SOURCE}`)() as AccumulateHistogram;
