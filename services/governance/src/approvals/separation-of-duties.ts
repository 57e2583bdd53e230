/** Who had a hand in a version: none of them may approve it. */
export interface VersionParties {
  /** Who requested the training run; null for an uploaded version. */
  requestedBy: string | null;
  /** Who uploaded the version; null for a trained one. */
  registeredBy: string | null;
  owner: string | null;
}

export interface Reviewer {
  id: string;
  name: string;
}

/**
 * Why `reviewer` may not approve, or null when they may. A party is matched by the principal's id or name, since
 * events name people by whichever the producing service knew.
 */
export function separationOfDutiesViolation(reviewer: Reviewer, parties: VersionParties, approvedAlreadyBy: string[]): string | null {
  const isReviewer = (who: string | null) => who !== null && (who === reviewer.id || who === reviewer.name);
  if (isReviewer(parties.requestedBy)) return `${reviewer.name} requested the training of this version and may not approve it`;
  if (isReviewer(parties.registeredBy)) return `${reviewer.name} registered this version and may not approve it`;
  if (isReviewer(parties.owner)) return `${reviewer.name} owns this model and may not approve its versions`;
  if (approvedAlreadyBy.some(isReviewer)) return `${reviewer.name} approved this version already; another approver must give the next approval`;
  return null;
}
