import { BadRequestException, PipeTransform } from '@nestjs/common';
import { ModelName } from '@mlops/contracts';

/** Path parameters checked like body fields: a bad one is a 400 naming it, never a 404 or a 500. */
export const modelNameParam: PipeTransform<string, string> = {
  transform(value: string): string {
    const parsed = ModelName.safeParse(value);
    if (!parsed.success) throw new BadRequestException(`path.model: ${parsed.error.issues[0].message}`);
    return parsed.data;
  },
};

export const versionParam: PipeTransform<string, number> = {
  transform(value: string): number {
    if (!/^[1-9]\d{0,8}$/.test(value)) throw new BadRequestException(`path.version: must be a whole number of at least 1, got "${value}"`);
    return Number(value);
  },
};
