import type { Role } from './permissions';

/** Who made a request, as the guard established it from the API key. */
export interface Principal {
  /** Stable id of the principal (a person or a service). */
  id: string;
  /** Human-readable name, used in decisions and the audit log. */
  name: string;
  roles: Role[];
  /** Id of the key that authenticated this request. */
  keyId: string;
}
