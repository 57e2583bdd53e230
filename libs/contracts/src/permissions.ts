/**
 * What a route may require, named resource:action. Routes declare one in their HTTP contract; roles are sets of
 * these (libs/auth), so adding a route never means editing a role by hand.
 */
export const PERMISSIONS = [
  'models:read',
  'models:write',
  'deployments:write',
  'features:read',
  'features:write',
  'training:read',
  'training:write',
  'inference:call',
  'monitor:read',
  'monitor:write',
  'governance:read',
  'policies:write',
  'cards:write',
  'approvals:decide',
  'audit:read',
  'keys:manage',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/** The OpenAPI security scheme of API keys, and the extensions naming each operation's permission or openness. */
export const API_KEY_SCHEME = 'api-key';
export const PERMISSION_EXTENSION = 'x-mlops-permission';
export const PUBLIC_EXTENSION = 'x-mlops-public';
