import { Body, Controller, Delete, Get, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import { CurrentPrincipal, Principal, RequirePermission } from '@mlops/auth';
import { ApiKeyId, ApiKeyQuery, ApiKeyStatus, ApiKeyView, CreateApiKeyRequest, CreatedApiKey, Uuid } from '@mlops/contracts';
import { parseInput } from '@mlops/service-kit';
import { PrincipalRepository } from '../principals/principal.repository';
import { ApiKeyRepository } from './api-key.repository';
import { IssueApiKey } from './issue-api-key.use-case';
import { RevokeApiKey } from './revoke-api-key.use-case';

@ApiTags('api keys')
@Controller()
export class ApiKeysController {
  constructor(
    private readonly principals: PrincipalRepository,
    private readonly keys: ApiKeyRepository,
    private readonly issueApiKey: IssueApiKey,
    private readonly revokeApiKey: RevokeApiKey,
  ) {}

  @Post('principals/:id/keys')
  @RequirePermission('keys:manage')
  @ApiBody({ schema: z.toJSONSchema(CreateApiKeyRequest, { io: 'input' }) as SchemaObject })
  @ApiCreatedResponse({ description: 'The key in `apiKey`: shown this once, only its hash is kept' })
  @ApiBadRequestResponse({ description: 'A field is invalid; the message names it' })
  @ApiNotFoundResponse({ description: 'No such principal' })
  async create(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() caller: Principal): Promise<CreatedApiKey> {
    const principalId = parseInput(Uuid, id, 'path.id');
    const request = parseInput(CreateApiKeyRequest, body);
    const principal = await this.principals.find(principalId);
    if (!principal) throw new NotFoundException(`principal ${principalId} does not exist`);
    return this.issueApiKey.execute(principal, request, caller.name);
  }

  @Get('keys')
  @RequirePermission('keys:manage')
  @ApiQuery({ name: 'principal', required: false, description: 'only the keys of the principal of this name' })
  @ApiQuery({ name: 'status', required: false, enum: ApiKeyStatus.options })
  @ApiOkResponse({ description: 'Keys, oldest first, without their secrets' })
  async list(@Query() query: Record<string, unknown>): Promise<{ items: ApiKeyView[] }> {
    const { principal, status } = parseInput(ApiKeyQuery, query, 'query');
    return { items: await this.keys.list({ principalName: principal, status }) };
  }

  @Delete('keys/:keyId')
  @RequirePermission('keys:manage')
  @ApiOkResponse({ description: 'The revoked key; every service refuses it within seconds' })
  @ApiNotFoundResponse({ description: 'No such key' })
  async revoke(@Param('keyId') keyId: string, @CurrentPrincipal() caller: Principal): Promise<ApiKeyView> {
    const id = parseInput(ApiKeyId, keyId, 'path.keyId');
    const revoked = await this.revokeApiKey.execute(id, caller.name);
    if (!revoked) throw new NotFoundException(`API key ${id} does not exist`);
    return revoked;
  }
}
