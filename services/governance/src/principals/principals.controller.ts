import { Body, ConflictException, Controller, Get, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import { CurrentPrincipal, Principal, RequirePermission } from '@mlops/auth';
import { CreatePrincipalRequest, PrincipalQuery, PrincipalView, Uuid } from '@mlops/contracts';
import { parseInput } from '@mlops/service-kit';
import { PrincipalRepository } from './principal.repository';

@ApiTags('principals')
@Controller('principals')
export class PrincipalsController {
  constructor(private readonly principals: PrincipalRepository) {}

  @Post()
  @RequirePermission('keys:manage')
  @ApiBody({ schema: z.toJSONSchema(CreatePrincipalRequest, { io: 'input' }) as SchemaObject })
  @ApiCreatedResponse({ description: 'The principal; give it keys with POST /principals/{id}/keys' })
  @ApiBadRequestResponse({ description: 'A field is missing or invalid; the message names it' })
  @ApiConflictResponse({ description: 'A principal of that name exists' })
  async create(@Body() body: unknown, @CurrentPrincipal() caller: Principal): Promise<PrincipalView> {
    const request = parseInput(CreatePrincipalRequest, body);
    const created = await this.principals.create({ ...request, roles: [...new Set(request.roles)], createdBy: caller.name });
    if (!created) throw new ConflictException(`a principal named ${request.name} exists already`);
    return created;
  }

  @Get()
  @RequirePermission('keys:manage')
  @ApiQuery({ name: 'name', required: false, description: 'only the principal of this name' })
  @ApiOkResponse({ description: 'Principals by name' })
  async list(@Query() query: Record<string, unknown>): Promise<{ items: PrincipalView[] }> {
    const { name } = parseInput(PrincipalQuery, query, 'query');
    if (name === undefined) return { items: await this.principals.list() };
    const found = await this.principals.findByName(name);
    return { items: found ? [found] : [] };
  }

  @Get(':id')
  @RequirePermission('keys:manage')
  @ApiOkResponse({ description: 'One principal' })
  @ApiNotFoundResponse({ description: 'No such principal' })
  async get(@Param('id') id: string): Promise<PrincipalView> {
    const principal = await this.principals.find(parseInput(Uuid, id, 'path.id'));
    if (!principal) throw new NotFoundException(`principal ${id} does not exist`);
    return principal;
  }
}
