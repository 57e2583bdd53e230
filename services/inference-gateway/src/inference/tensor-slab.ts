export interface TypedArrayType<T> {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/**
 * Small typed arrays carved from shared 64 KiB buffers instead of each getting its own. A typed array of more than
 * 64 bytes gets an off-heap backing store that V8 allocates, tracks and later sweeps one by one: on a small tabular
 * model that was a measurable share of each request (its decoded input, the batch around it). A slab is never
 * reused: the carved arrays start zeroed, as new ones do, and a slab is freed once no array carved from it is alive.
 */
export class TensorSlab {
  private slab = new ArrayBuffer(0);
  private used = 0;

  constructor(
    private readonly slabBytes = 64 * 1024,
    /** Bigger arrays are allocated on their own: they would waste a slab's tail or hold one alive for little gain. */
    private readonly maxCarvedBytes = 4 * 1024,
  ) {}

  /** A zeroed array of `count` elements, at an offset aligned to 8 in the current slab. */
  carve<T>(type: TypedArrayType<T>, count: number): T {
    const bytes = count * type.BYTES_PER_ELEMENT;
    if (bytes > this.maxCarvedBytes) return new type(new ArrayBuffer(bytes), 0, count);
    if (this.used + bytes > this.slab.byteLength) {
      this.slab = new ArrayBuffer(this.slabBytes);
      this.used = 0;
    }
    const offset = this.used;
    this.used += (bytes + 7) & ~7;
    return new type(this.slab, offset, count);
  }
}
