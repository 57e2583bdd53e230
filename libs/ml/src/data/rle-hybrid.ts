/** A repeated run shorter than this inside bit-packed data costs more as its own run than it saves. */
const MIN_REPEATED_RUN = 16;

/**
 * Parquet's RLE / bit-packing hybrid (without the 4-byte length that data pages put in front): runs of one
 * value become a repeated run, the rest bit-packed groups of 8 values, least significant bit first. Only the
 * last group of the data may be padded (readers stop at the value count), so bit-packed stretches end on a
 * group boundary wherever a repeated run follows. For definition levels and other small unsigned ints.
 */
export function encodeRleHybrid(values: ArrayLike<number>, count: number, bitWidth: number): Buffer {
  if (bitWidth < 1 || bitWidth > 8) throw new RangeError(`bit width ${bitWidth} is outside 1..8`);
  // Worst case: every group bit-packed under its own header, or as a repeated run of 8.
  const out = Buffer.alloc(Math.ceil(count / 8) * (bitWidth + 6) + 16);
  let length = 0;
  const varint = (value: number) => {
    let rest = value;
    while (rest >= 0x80) {
      out[length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    out[length++] = rest;
  };
  const runLength = (from: number, limit = count) => {
    let end = from + 1;
    while (end < limit && end < count && values[end] === values[from]) end++;
    return end - from;
  };

  let i = 0;
  while (i < count) {
    const run = runLength(i);
    if (run >= 8) {
      varint(run * 2);
      out[length++] = values[i];
      i += run;
      continue;
    }
    let groups = 0;
    while (i + groups * 8 < count && (groups === 0 || runLength(i + groups * 8, i + groups * 8 + MIN_REPEATED_RUN) < MIN_REPEATED_RUN)) groups++;
    varint(groups * 2 + 1);
    let bits = 0;
    let pending = 0;
    for (let v = i; v < i + groups * 8; v++) {
      const value = v < count ? values[v] : 0;
      bits |= value << pending;
      pending += bitWidth;
      while (pending >= 8) {
        out[length++] = bits & 0xff;
        bits >>>= 8;
        pending -= 8;
      }
    }
    i += groups * 8;
  }
  return out.subarray(0, length);
}
