import { Permission, PERMISSIONS, ROLES, Role } from '@mlops/contracts';

export { ROLES };
export type { Role };

// The permissions themselves are part of each route's HTTP contract (libs/contracts); roles are the guard's business.
export { PERMISSIONS };
export type { Permission };

const READS: Permission[] = ['models:read', 'features:read', 'training:read', 'monitor:read', 'governance:read'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  'data-scientist': [
    ...READS,
    'models:write',
    'deployments:write',
    'features:write',
    'training:write',
    'monitor:write',
    'cards:write',
    'inference:call',
  ],
  approver: [...READS, 'approvals:decide', 'audit:read'],
  auditor: [...READS, 'audit:read'],
  app: ['inference:call', 'features:read'],
  // Platform services calling each other: the gateway reads deployments and features, the trainer datasets,
  // governance changes deployments on a rollout verdict, the monitor requests references and retraining.
  service: [...READS, 'deployments:write', 'training:write', 'monitor:write', 'inference:call'],
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Whether any of a principal's roles grants the permission. */
export function rolesAllow(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((role) => roleAllows(role, permission));
}
