import { z } from 'zod';

const integerText = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

export const Page = {
  limit: integerText(1, 500).default(50),
  offset: integerText(0, Number.MAX_SAFE_INTEGER).default(0),
};

/** `key` (has the tag) or `key:value` (has it with that value). */
export const TagFilter = z
  .string()
  .min(1)
  .transform((text) => {
    const at = text.indexOf(':');
    return at < 0 ? { key: text } : { key: text.slice(0, at), value: text.slice(at + 1) };
  })
  .optional();

export const NumberText = z
  .string()
  .refine((text) => text.trim() !== '' && Number.isFinite(Number(text)), 'must be a number')
  .transform(Number);
