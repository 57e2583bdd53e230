import { Controller, NotFoundException } from '@nestjs/common';
import { CurrentPrincipal, Principal } from '@mlops/auth';
import { type ApiKeyView, type CreatedApiKey, governanceRoutes as api, type RouteBody, type RouteParams, type RouteQuery } from '@mlops/contracts';
import { ContractBody, ContractParams, ContractQuery, ContractRoute } from '@mlops/service-kit';
import { PrincipalRepository } from '../principals/principal.repository';
import { ApiKeyRepository } from './api-key.repository';
import { IssueApiKey } from './issue-api-key.use-case';
import { RevokeApiKey } from './revoke-api-key.use-case';

@Controller()
export class ApiKeysController {
  constructor(
    private readonly principals: PrincipalRepository,
    private readonly keys: ApiKeyRepository,
    private readonly issueApiKey: IssueApiKey,
    private readonly revokeApiKey: RevokeApiKey,
  ) {}

  @ContractRoute(api.createApiKey)
  async create(
    @ContractParams(api.createApiKey) { id }: RouteParams<typeof api.createApiKey>,
    @ContractBody(api.createApiKey) request: RouteBody<typeof api.createApiKey>,
    @CurrentPrincipal() caller: Principal,
  ): Promise<CreatedApiKey> {
    const principal = await this.principals.find(id);
    if (!principal) throw new NotFoundException(`principal ${id} does not exist`);
    return this.issueApiKey.execute(principal, request, caller.name);
  }

  @ContractRoute(api.listApiKeys)
  async list(@ContractQuery(api.listApiKeys) { principal, status }: RouteQuery<typeof api.listApiKeys>): Promise<{ items: ApiKeyView[] }> {
    return { items: await this.keys.list({ principalName: principal, status }) };
  }

  @ContractRoute(api.revokeApiKey)
  async revoke(@ContractParams(api.revokeApiKey) { keyId }: RouteParams<typeof api.revokeApiKey>, @CurrentPrincipal() caller: Principal): Promise<ApiKeyView> {
    const revoked = await this.revokeApiKey.execute(keyId, caller.name);
    if (!revoked) throw new NotFoundException(`API key ${keyId} does not exist`);
    return revoked;
  }
}
