export const SERVICE_NAMES = [
  'feature-store',
  'trainer',
  'registry',
  'inference-gateway',
  'monitor',
  'governance',
] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];
