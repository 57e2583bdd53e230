import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '@mlops/auth';
import { ServedAtQuery, ServedAtResponse } from '@mlops/contracts';
import { modelNameParam, openApiSchema, parseInput } from '../http/request-input';
import { FindWhatServed } from './find-what-served.use-case';

@ApiTags('audit')
@Controller('models/:name/served-at')
export class ServedAtController {
  constructor(private readonly findWhatServed: FindWhatServed) {}

  @Get()
  @RequirePermission('audit:read')
  @ApiQuery({ name: 'at', required: false, description: 'ISO time with an offset; default now' })
  @ApiOkResponse({
    description: 'The serving spec in force at `at`, each served version with its approval, checks, training run and the audit entries cited',
    schema: openApiSchema(ServedAtResponse),
  })
  @ApiNotFoundResponse({ description: 'Nothing served the model at that time' })
  async servedAt(@Param('name', modelNameParam) name: string, @Query() query: unknown): Promise<ServedAtResponse> {
    const parsed = parseInput(ServedAtQuery, query, 'query');
    const at = parsed.at === undefined ? new Date() : new Date(parsed.at);
    const answer = await this.findWhatServed.execute(name, at);
    if (!answer) throw new NotFoundException(`nothing served model ${name} at ${at.toISOString()}`);
    return answer;
  }
}
