import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';

/** Validates a request part against its schema; the caller's mistake becomes a 400 naming each field and reason. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'body'): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  throw new BadRequestException(
    parsed.error.issues.map((issue) => `${[what, ...issue.path.map(String)].join('.')}: ${issue.message}`),
  );
}
