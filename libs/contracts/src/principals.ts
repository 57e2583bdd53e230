import { z } from 'zod';

/** What a principal may be given; the permissions each role holds are the guard's business (libs/auth). */
export const ROLES = ['admin', 'data-scientist', 'approver', 'auditor', 'app', 'service'] as const;
export const RoleName = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` });
export type Role = z.infer<typeof RoleName>;

/** People sign decisions; services call each other. Both hold API keys the same way. */
export const PrincipalKind = z.enum(['person', 'service'], { error: 'must be person or service' });

export const PrincipalName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._@:-]{0,99}$/, 'must be 1 to 100 characters: a-z, 0-9, ".", "_", "@", ":", "-", starting with a letter or digit');

/** The public half of an API key (`mlops_<keyId>_<secret>`): it names the key in lists, logs and revocations. */
export const ApiKeyId = z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lowercase hex characters');

const Base64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64');

/** A key's secret as stored: scrypt with its own salt and cost, so the cost can rise without rehashing old keys. */
export const ScryptHash = z.object({
  algorithm: z.literal('scrypt'),
  N: z.number().int().min(2),
  r: z.number().int().min(1),
  p: z.number().int().min(1),
  salt: Base64,
  digest: Base64,
});
export type ScryptHash = z.infer<typeof ScryptHash>;
