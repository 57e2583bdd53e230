import { z } from 'zod';
import { ModelName, Uuid } from '../common';
import { ApiKeyId } from '../principals';
import { Approval, ApprovalList, ApprovalQuery, DecisionRequest, RolloutList, RolloutRecord } from './governance-approvals';
import { DeliveryMetricsQuery, DeliveryMetricsResponse, ManualEvidence, ManualEvidenceRequest, MlTestScoreResponse } from './governance-delivery';
import { ApiKeyList, ApiKeyQuery, ApiKeyView, CreateApiKeyRequest, CreatedApiKey, CreatePrincipalRequest, PrincipalList, PrincipalQuery, PrincipalView } from './governance-keys';
import { PolicyFile, PolicyList, PolicyPlan, PolicyRecord } from './governance-policies';
import { VersionText } from './registry';
import { defineRoutes, type HttpApi } from './route';

const PrincipalPath = z.object({ id: Uuid });
const KeyPath = z.object({ keyId: ApiKeyId });
const ModelPath = z.object({ name: ModelName });
const RolloutPath = z.object({ id: Uuid });
const PolicyModelPath = z.object({ model: ModelName });
const ApprovalPath = z.object({ model: ModelName, version: VersionText });
const approvalDecision = {
  method: 'post',
  tag: 'approvals',
  access: { permission: 'approvals:decide' },
  params: ApprovalPath,
  body: DecisionRequest,
  status: 200,
  response: Approval,
} as const;
const noPolicy = 'No policy was applied for the model: its versions are judged by the default policy';

const keysManage = { permission: 'keys:manage' } as const;
const governanceRead = { permission: 'governance:read' } as const;

const rolloutDecision = {
  method: 'post',
  tag: 'rollouts',
  access: { permission: 'approvals:decide' },
  params: RolloutPath,
  body: DecisionRequest,
  status: 200,
  response: RolloutRecord,
  errors: { 404: 'No such rollout decision', 409: 'The decision does not wait for an approver' },
} as const;

/**
 * The governance routes already served from their contract (principals, API keys, delivery metrics, ML test
 * score, approvals, rollout decisions, policies); audit and model cards join them as their controllers move.
 */
export const governanceRoutes = defineRoutes({
  createPrincipal: {
    method: 'post',
    path: '/principals',
    summary: 'A person or service account with roles; give it keys with POST /principals/{id}/keys',
    tag: 'principals',
    access: keysManage,
    body: CreatePrincipalRequest,
    status: 201,
    response: PrincipalView,
    errors: { 409: 'A principal of that name exists' },
  },
  listPrincipals: {
    method: 'get',
    path: '/principals',
    summary: 'Principals by name, or only the one named',
    tag: 'principals',
    access: keysManage,
    query: PrincipalQuery,
    status: 200,
    response: PrincipalList,
  },
  getPrincipal: {
    method: 'get',
    path: '/principals/{id}',
    summary: 'One principal',
    tag: 'principals',
    access: keysManage,
    params: PrincipalPath,
    status: 200,
    response: PrincipalView,
    errors: { 404: 'No such principal' },
  },
  createApiKey: {
    method: 'post',
    path: '/principals/{id}/keys',
    summary: 'A new key in `apiKey`: shown this once, only its hash is kept',
    tag: 'api keys',
    access: keysManage,
    params: PrincipalPath,
    body: CreateApiKeyRequest,
    status: 201,
    response: CreatedApiKey,
    errors: { 404: 'No such principal' },
  },
  listApiKeys: {
    method: 'get',
    path: '/keys',
    summary: 'Keys, oldest first, without their secrets',
    tag: 'api keys',
    access: keysManage,
    query: ApiKeyQuery,
    status: 200,
    response: ApiKeyList,
  },
  revokeApiKey: {
    method: 'delete',
    path: '/keys/{keyId}',
    summary: 'Revokes a key; every service refuses it within seconds. Answers the revoked key',
    tag: 'api keys',
    access: keysManage,
    params: KeyPath,
    status: 200,
    response: ApiKeyView,
    errors: { 404: 'No such key' },
  },
  platformDeliveryMetrics: {
    method: 'get',
    path: '/delivery-metrics',
    summary: 'Deployment frequency, lead time, change failure rate and time to restore, platform-wide and per model (default window: the last 30 days)',
    tag: 'delivery metrics',
    access: governanceRead,
    query: DeliveryMetricsQuery,
    status: 200,
    response: DeliveryMetricsResponse,
  },
  modelDeliveryMetrics: {
    method: 'get',
    path: '/models/{name}/delivery-metrics',
    summary: "One model's delivery metrics (platform = the model)",
    tag: 'delivery metrics',
    access: governanceRead,
    params: ModelPath,
    query: DeliveryMetricsQuery,
    status: 200,
    response: DeliveryMetricsResponse,
  },
  mlTestScore: {
    method: 'get',
    path: '/models/{name}/ml-test-score',
    summary: 'The 28 tests of Breck et al. with their points and evidence, the four section sums, the score (their minimum) and what is missing',
    tag: 'ml test score',
    access: governanceRead,
    params: ModelPath,
    status: 200,
    response: MlTestScoreResponse,
  },
  recordMlTestEvidence: {
    method: 'post',
    path: '/models/{name}/ml-test-score/evidence',
    summary: 'A manual run of one test, with a link to its record; replaces an earlier record of the same test',
    tag: 'ml test score',
    access: { permission: 'cards:write' },
    params: ModelPath,
    body: ManualEvidenceRequest,
    status: 201,
    response: ManualEvidence,
  },
  listRollouts: {
    method: 'get',
    path: '/rollouts',
    summary: 'Rollout verdicts received and what governance made of them, newest first',
    tag: 'rollouts',
    access: governanceRead,
    query: z.object({ model: ModelName.optional() }),
    status: 200,
    response: RolloutList,
  },
  approveRollout: {
    ...rolloutDecision,
    path: '/rollouts/{id}/approve',
    summary: 'The promotion, Applied: the registry makes the challenger the champion',
  },
  rejectRollout: {
    ...rolloutDecision,
    path: '/rollouts/{id}/reject',
    summary: 'The promotion, Rejected: the deployment stays as it is',
  },
  planPolicies: {
    method: 'post',
    path: '/policies/plan',
    summary: 'What applying the file would change, a diff per policy, and any problems',
    tag: 'policies',
    access: governanceRead,
    body: PolicyFile,
    status: 200,
    response: PolicyPlan,
  },
  applyPolicies: {
    method: 'post',
    path: '/policies/apply',
    summary: 'The changes made: each changed policy got a new version',
    tag: 'policies',
    access: { permission: 'policies:write' },
    body: PolicyFile,
    status: 200,
    response: PolicyPlan,
    errors: { 400: 'Each invalid field with the reason; nothing was applied' },
  },
  listPolicies: {
    method: 'get',
    path: '/policies',
    summary: 'The policy in force for every model that has one',
    tag: 'policies',
    access: governanceRead,
    status: 200,
    response: PolicyList,
  },
  policyInForce: {
    method: 'get',
    path: '/policies/{model}',
    summary: 'The policy in force for the model',
    tag: 'policies',
    access: governanceRead,
    params: PolicyModelPath,
    status: 200,
    response: PolicyRecord,
    errors: { 404: noPolicy },
  },
  policyVersions: {
    method: 'get',
    path: '/policies/{model}/versions',
    summary: "Every version of the model's policy, oldest first",
    tag: 'policies',
    access: governanceRead,
    params: PolicyModelPath,
    status: 200,
    response: PolicyList,
    errors: { 404: noPolicy },
  },
  policyVersion: {
    method: 'get',
    path: '/policies/{model}/versions/{version}',
    summary: "One version of the model's policy",
    tag: 'policies',
    access: governanceRead,
    params: PolicyModelPath.extend({ version: VersionText }),
    status: 200,
    response: PolicyRecord,
    errors: { 404: 'No such policy version' },
  },
  listApprovals: {
    method: 'get',
    path: '/approvals',
    summary: 'Approval requests, newest first',
    tag: 'approvals',
    access: governanceRead,
    query: ApprovalQuery,
    status: 200,
    response: ApprovalList,
  },
  showApproval: {
    method: 'get',
    path: '/approvals/{model}/{version}',
    summary: 'The request with its latest check results (evidence, thresholds) and every decision',
    tag: 'approvals',
    access: governanceRead,
    params: ApprovalPath,
    status: 200,
    response: Approval,
    errors: { 404: 'The version has no approval request (not registered, or its checks still wait for its training run)' },
  },
  approveVersion: {
    ...approvalDecision,
    path: '/approvals/{model}/{version}/approve',
    summary:
      'The request after the approval: Approved once enough distinct approvers agreed. 403 for separation of duties (the reviewer requested, registered or owns the version, or approved it already)',
    errors: { 409: 'Decided already, or a check failed' },
  },
  rejectVersion: { ...approvalDecision, path: '/approvals/{model}/{version}/reject', summary: 'The request, Rejected', errors: { 409: 'Decided already' } },
  revokeVersion: {
    ...approvalDecision,
    path: '/approvals/{model}/{version}/revoke',
    summary: 'The request, Revoked: the registry takes the version out of serving',
    errors: { 409: 'The version is not approved' },
  },
  recheckApproval: {
    method: 'post',
    path: '/approvals/{model}/{version}/recheck',
    summary: 'The request judged again by the policy and facts of now',
    tag: 'approvals',
    access: { permission: 'models:write' },
    params: ApprovalPath,
    status: 200,
    response: Approval,
    errors: { 409: 'The request is decided already' },
  },
});

export const governanceApi: HttpApi<typeof governanceRoutes> = {
  title: 'mlops governance',
  description: 'Policies, checks, approvals, model cards and the audit log built from every platform event.',
  routes: governanceRoutes,
};
