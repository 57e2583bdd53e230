/** What went wrong, in protocol-neutral terms; each edge maps a kind to its own status (HTTP code, gRPC code). */
export type InferenceErrorKind = 'invalid_argument' | 'not_found' | 'unavailable';

export class InferenceError extends Error {
  constructor(
    readonly kind: InferenceErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'InferenceError';
  }
}

export const invalid = (message: string) => new InferenceError('invalid_argument', message);
export const notFound = (message: string) => new InferenceError('not_found', message);
export const unavailable = (message: string) => new InferenceError('unavailable', message);
