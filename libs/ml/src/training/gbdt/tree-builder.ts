import { BIN_SLOTS, FeatureBins } from './feature-binner';
import { HistogramHelper } from './histogram-helper';
import { accumulateHistogram } from './histogram-kernel';

const STRIDE = 2; // gradient, hessian per histogram slot
/**
 * A leaf with at least this many rows gets its histogram as the sum of two halves built separately, whether or
 * not a helper thread builds one of them: the float additions, and so the model, do not depend on the thread count.
 */
export const SPLIT_HISTOGRAM_ROWS = 16_384;

export interface TreeGrowthParams {
  numLeaves: number;
  maxDepth: number;
  minChildSamples: number;
  minSumHessian: number;
  l2: number;
  learningRate: number;
}

/** A tree as grown on bins: splits are "bin <= splitBin"; leaf values already float32 and scaled by the learning rate. */
export interface BinnedTree {
  feature: number[];
  splitBin: number[];
  missingLeft: number[];
  left: number[];
  right: number[];
  value: number[];
}

interface Split {
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
  /** Gradient and hessian sums of the left child; the right child's are the parent's minus these. */
  leftGrad: number;
  leftHess: number;
}

interface Leaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  sumGrad: number;
  sumHess: number;
  hist: Float64Array;
  split: Split | null;
}

/**
 * Histogram-based, leaf-wise tree growth over row-major byte bins. Rows of a leaf are a contiguous,
 * ascending range of `rows`; the smaller child's histogram is built from its rows and the larger one is
 * the parent's minus it. Histograms hold gradient and hessian sums only; the row count of a bin range is
 * estimated from its hessian share (as LightGBM does), which is exact for squared error (hessian 1).
 * A large leaf's histogram is built in two halves, the second one on a helper thread when there is one.
 */
export class TreeBuilder {
  private readonly rows: Int32Array;
  private readonly scratch: Int32Array;
  private readonly pool: Float64Array[] = [];
  private readonly numBins: Int32Array;
  private readonly goesLeft = new Uint8Array(BIN_SLOTS);
  /** Column-major copy of the bins: partitioning reads one feature of a leaf's rows, which stays cache-friendly. */
  private readonly columns: Uint8Array;
  /** Row-major bins, four per word, each row padded to whole words: what the histogram kernel reads. */
  private readonly words: Uint32Array;
  private readonly wordsPerRow: number;
  /** Slots of one histogram: features rounded up to whole words. */
  private readonly histLength: number;
  /** The second half of a split histogram: the helper thread's buffer, or this one without a helper. */
  private readonly helper: HistogramHelper | null;
  private readonly halfHist: Float64Array;

  constructor(
    /** Row-major: the bin of row r, feature f is at r * numFeatures + f. */
    private readonly bins: Uint8Array,
    numRows: number,
    private readonly numFeatures: number,
    featureBins: FeatureBins,
    /** Interleaved (gradient, hessian) per row, refilled by the caller before each `grow`. */
    private readonly gradHess: Float64Array,
    private readonly params: TreeGrowthParams,
    /** 2 puts a helper thread on the larger histograms; the model is the same either way. */
    threads = 1,
  ) {
    const shared = (bytes: number) => (threads > 1 ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    this.rows = new Int32Array(shared(numRows * Int32Array.BYTES_PER_ELEMENT));
    this.scratch = new Int32Array(numRows);
    this.columns = new Uint8Array(bins.length);
    this.wordsPerRow = Math.ceil(numFeatures / 4);
    this.words = new Uint32Array(shared(numRows * this.wordsPerRow * Uint32Array.BYTES_PER_ELEMENT));
    const { columns, words } = this;
    for (let f = 0; f < numFeatures; f++) for (let r = 0, i = f; r < numRows; r++, i += numFeatures) columns[f * numRows + r] = bins[i];
    for (let r = 0, p = 0; r < numRows; r++) {
      const base = r * numFeatures;
      for (let f = 0; f < numFeatures; f += 4, p++) {
        // byte k of a word is feature f + k, on any platform byte order
        let x = 0;
        for (let k = 0; k < 4 && f + k < numFeatures; k++) x |= bins[base + f + k] << (8 * k);
        words[p] = x;
      }
    }
    this.numBins = Int32Array.from(featureBins.thresholds, (t) => t.length + 1);
    this.histLength = this.wordsPerRow * 4 * BIN_SLOTS * STRIDE;
    if (threads > 1 && !(gradHess.buffer instanceof SharedArrayBuffer)) throw new Error('gradHess must live in a SharedArrayBuffer to use threads');
    this.helper =
      threads > 1
        ? new HistogramHelper({ words: this.words, wordsPerRow: this.wordsPerRow, rows: this.rows, gradHess }, this.histLength)
        : null;
    this.halfHist = this.helper ? this.helper.hist : new Float64Array(this.histLength);
  }

  /** Stops the helper thread; the builder is not used afterwards. */
  close(): void {
    this.helper?.close();
  }

  /**
   * Grows one tree on the given rows (ascending indices) and features from interleaved gradient/hessian
   * pairs; `onLeaf` receives each final leaf's rows so the caller can update scores without walking the tree.
   */
  grow(
    bagRows: Int32Array,
    features: Int32Array,
    onLeaf: (rows: Int32Array, value: number) => void,
  ): BinnedTree {
    const rows = this.rows;
    rows.set(bagRows);
    const tree: BinnedTree = { feature: [-1], splitBin: [0], missingLeft: [0], left: [-1], right: [-1], value: [0] };
    const root = this.leaf(0, 0, bagRows.length, 0, this.borrow());
    this.buildHistogram(root.hist, root.start, root.end, features);
    this.sumFromHistogram(root, features[0]);
    root.split = this.bestSplit(root, features);
    const leaves: Leaf[] = [root];
    while (leaves.length < this.params.numLeaves) {
      let best = -1;
      for (let i = 0; i < leaves.length; i++) {
        const s = leaves[i].split;
        if (s && (best < 0 || s.gain > leaves[best].split!.gain)) best = i;
      }
      if (best < 0) break;
      const parent = leaves[best];
      const split = parent.split!;
      const middle = this.partition(parent, split);
      const leftNode = tree.feature.length;
      for (let k = 0; k < 2; k++) {
        tree.feature.push(-1);
        tree.splitBin.push(0);
        tree.missingLeft.push(0);
        tree.left.push(-1);
        tree.right.push(-1);
        tree.value.push(0);
      }
      tree.feature[parent.node] = split.feature;
      tree.splitBin[parent.node] = split.bin;
      tree.missingLeft[parent.node] = split.missingLeft ? 1 : 0;
      tree.left[parent.node] = leftNode;
      tree.right[parent.node] = leftNode + 1;
      const left = this.leaf(leftNode, parent.start, middle, parent.depth + 1, parent.hist);
      const right = this.leaf(leftNode + 1, middle, parent.end, parent.depth + 1, parent.hist);
      const [small, large] = middle - parent.start <= parent.end - middle ? [left, right] : [right, left];
      small.hist = this.borrow();
      this.buildHistogram(small.hist, small.start, small.end, features);
      this.subtract(large.hist, small.hist, features);
      left.sumGrad = split.leftGrad;
      left.sumHess = split.leftHess;
      right.sumGrad = parent.sumGrad - split.leftGrad;
      right.sumHess = parent.sumHess - split.leftHess;
      left.split = this.bestSplit(left, features);
      right.split = this.bestSplit(right, features);
      leaves.splice(best, 1, left, right);
    }
    for (const leaf of leaves) {
      const value = Math.fround((-leaf.sumGrad / (leaf.sumHess + this.params.l2)) * this.params.learningRate);
      tree.value[leaf.node] = value;
      onLeaf(rows.subarray(leaf.start, leaf.end), value);
      this.pool.push(leaf.hist);
    }
    return tree;
  }

  private leaf(node: number, start: number, end: number, depth: number, hist: Float64Array): Leaf {
    return { node, start, end, depth, sumGrad: 0, sumHess: 0, hist, split: null };
  }

  private borrow(): Float64Array {
    const hist = this.pool.pop();
    if (hist) return hist.fill(0);
    return new Float64Array(this.histLength);
  }

  /** Every row falls in exactly one bin of any feature, so one feature's bins sum to the leaf totals. */
  private sumFromHistogram(leaf: Leaf, feature: number): void {
    let g = 0;
    let h = 0;
    const from = feature * BIN_SLOTS * STRIDE;
    for (let o = from; o < from + BIN_SLOTS * STRIDE; o += STRIDE) {
      g += leaf.hist[o];
      h += leaf.hist[o + 1];
    }
    leaf.sumGrad = g;
    leaf.sumHess = h;
  }

  private buildHistogram(hist: Float64Array, start: number, end: number, features: Int32Array): void {
    const { rows, bins, numFeatures, gradHess } = this;
    const nf = features.length;
    if (nf === numFeatures) {
      const { words, wordsPerRow, helper, halfHist } = this;
      if (end - start < SPLIT_HISTOGRAM_ROWS) {
        accumulateHistogram(hist, words, wordsPerRow, rows, start, end, gradHess);
        return;
      }
      const middle = (start + end) >>> 1;
      if (helper) helper.post(middle, end);
      else {
        halfHist.fill(0);
        accumulateHistogram(halfHist, words, wordsPerRow, rows, middle, end, gradHess);
      }
      accumulateHistogram(hist, words, wordsPerRow, rows, start, middle, gradHess);
      helper?.finish();
      for (let o = 0; o < hist.length; o++) hist[o] += halfHist[o];
      return;
    }
    for (let i = start; i < end; i++) {
      const r = rows[i];
      const g = gradHess[r * 2];
      const h = gradHess[r * 2 + 1];
      const base = r * numFeatures;
      for (let k = 0; k < nf; k++) {
        const f = features[k];
        const o = (f * BIN_SLOTS + bins[base + f]) * STRIDE;
        hist[o] += g;
        hist[o + 1] += h;
      }
    }
  }

  private subtract(target: Float64Array, small: Float64Array, features: Int32Array): void {
    for (let k = 0; k < features.length; k++) {
      const from = features[k] * BIN_SLOTS * STRIDE;
      const to = from + BIN_SLOTS * STRIDE;
      for (let o = from; o < to; o++) target[o] -= small[o];
    }
  }

  private bestSplit(leaf: Leaf, features: Int32Array): Split | null {
    const p = this.params;
    const count = leaf.end - leaf.start;
    if (count < 2 * p.minChildSamples) return null;
    if (p.maxDepth > 0 && leaf.depth >= p.maxDepth) return null;
    const { hist } = leaf;
    const totalG = leaf.sumGrad;
    const totalH = leaf.sumHess;
    const l2 = p.l2;
    const minHess = p.minSumHessian;
    // a side holds at least minChildSamples rows when its hessian share, scaled to rows, rounds to that many
    const minSideHess = Math.max(minHess, ((p.minChildSamples - 0.5) * totalH) / count);
    const maxLeftHess = totalH - minSideHess;
    const parentScore = (totalG * totalG) / (totalH + l2);
    const best: Split = { gain: 0, feature: -1, bin: 0, missingLeft: false, leftGrad: 0, leftHess: 0 };
    const consider = (g: number, h: number, feature: number, bin: number, missingLeft: boolean) => {
      if (h < minSideHess || h > maxLeftHess) return;
      const gr = totalG - g;
      const gain = (g * g) / (h + l2) + (gr * gr) / (totalH - h + l2) - parentScore;
      if (gain > best.gain) {
        best.gain = gain;
        best.feature = feature;
        best.bin = bin;
        best.missingLeft = missingLeft;
        best.leftGrad = g;
        best.leftHess = h;
      }
    };
    for (let k = 0; k < features.length; k++) {
      const f = features[k];
      const nb = this.numBins[f];
      const base = f * BIN_SLOTS * STRIDE;
      const m = base + nb * STRIDE; // the missing-value bin follows the value bins
      const gMissing = hist[m];
      const hMissing = hist[m + 1];
      let gl = 0;
      let hl = 0;
      for (let b = 0, o = base; b < nb - 1; b++, o += STRIDE) {
        gl += hist[o];
        hl += hist[o + 1];
        consider(gl, hl, f, b, false);
        if (hMissing > 0) consider(gl + gMissing, hl + hMissing, f, b, true);
      }
    }
    return best.feature < 0 ? null : best;
  }

  /** Stable partition of the leaf's rows; returns the index where the right child's rows start. */
  private partition(leaf: Leaf, split: Split): number {
    const { rows, scratch, columns, goesLeft } = this;
    const feature = split.feature;
    const column = feature * rows.length;
    const missing = this.numBins[feature];
    for (let b = 0; b < BIN_SLOTS; b++) goesLeft[b] = (b === missing ? split.missingLeft : b <= split.bin) ? 1 : 0;
    let l = leaf.start;
    let rCount = 0;
    // branch-free: each row is written to both sides and only the side it belongs to advances
    for (let i = leaf.start; i < leaf.end; i++) {
      const r = rows[i];
      const left = goesLeft[columns[column + r]];
      rows[l] = r;
      scratch[rCount] = r;
      l += left;
      rCount += 1 - left;
    }
    rows.set(scratch.subarray(0, rCount), l);
    return l;
  }
}

/** Leaf value of the row whose row-major byte bins start at `base`, walking the binned splits. */
export function binnedTreeValue(tree: BinnedTree, bins: Uint8Array, base: number, missingBins: Int32Array): number {
  let node = 0;
  while (tree.feature[node] >= 0) {
    const f = tree.feature[node];
    const b = bins[base + f];
    const goLeft = b === missingBins[f] ? tree.missingLeft[node] === 1 : b <= tree.splitBin[node];
    node = goLeft ? tree.left[node] : tree.right[node];
  }
  return tree.value[node];
}
