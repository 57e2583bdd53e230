import { BadRequestException, PipeTransform } from '@nestjs/common';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import { ModelName } from '@mlops/contracts';

/** Validates a request part against its contract; a caller's mistake becomes a 400 naming each field and reason. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: 'body' | 'query'): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  throw new BadRequestException(parsed.error.issues.map((issue) => `${[what, ...issue.path.map(String)].join('.')}: ${issue.message}`));
}

/** The OpenAPI schema of a contract, so the documents say exactly what the validators accept and answer. */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): SchemaObject {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as SchemaObject;
}

export const modelNameParam: PipeTransform<string, string> = {
  transform(value: string): string {
    const parsed = ModelName.safeParse(value);
    if (!parsed.success) throw new BadRequestException(`path.name: ${parsed.error.issues[0].message}`);
    return parsed.data;
  },
};

export const versionParam: PipeTransform<string, number> = {
  transform(value: string): number {
    if (!/^[1-9]\d{0,8}$/.test(value)) throw new BadRequestException(`path.version: must be a whole number of at least 1, got "${value}"`);
    return Number(value);
  },
};
