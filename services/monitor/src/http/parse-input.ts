import { BadRequestException, PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { ModelName } from '@mlops/contracts';

/** Validates a request part against its contract schema; a mistake is a 400 naming each field and the reason. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'body'): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  throw new BadRequestException(parsed.error.issues.map((issue) => `${[what, ...issue.path.map(String)].join('.')}: ${issue.message}`));
}

export const modelNameParam: PipeTransform<string, string> = {
  transform: (value: string) => parseInput(ModelName, value, 'path.name'),
};

/** `?version=&limit=` of the history routes. */
export const HistoryQuery = z.object({
  version: z.coerce.number({ error: 'must be a version number' }).int('must be a version number').positive('must be a version number').optional(),
  limit: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(50),
});
