import { BadRequestException, PipeTransform } from '@nestjs/common';
import { ModelName } from '@mlops/contracts';

/** Model names in paths are checked like those in bodies, so a bad one is a 400 naming it, never a 404 or 500. */
export const modelNameParam: PipeTransform<string, string> = {
  transform(value: string): string {
    const parsed = ModelName.safeParse(value);
    if (!parsed.success) throw new BadRequestException(`path.name: ${parsed.error.issues[0].message}`);
    return parsed.data;
  },
};
