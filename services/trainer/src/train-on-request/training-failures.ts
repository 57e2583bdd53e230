/** The request itself cannot be trained (bad refs, a refused dataset, bad data): counts toward the bound. */
export class PermanentTrainingFailure extends Error {}

/** Something outside the request failed (the feature store is down): retried without counting. */
export class TransientTrainingFailure extends Error {}
