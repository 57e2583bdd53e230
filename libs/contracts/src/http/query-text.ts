import { z } from 'zod';

/** A whole number given as query text (`?limit=50`), checked and converted; bounds are named in the error. */
export function wholeNumberText(min: number, max: number) {
  return z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

export const IsoTimeText = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time with an offset, e.g. 2026-01-02T03:04:05Z' });
