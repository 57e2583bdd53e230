import { BadRequestException, PipeTransform } from '@nestjs/common';

export const versionParam: PipeTransform<string, number> = {
  transform(value: string): number {
    if (!/^[1-9]\d{0,8}$/.test(value)) throw new BadRequestException(`path.version: must be a whole number of at least 1, got "${value}"`);
    return Number(value);
  },
};
