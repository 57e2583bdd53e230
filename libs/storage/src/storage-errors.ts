/** The bytes read are not the bytes that were recorded: the object was changed or corrupted since. */
export class IntegrityError extends Error {
  constructor(
    readonly uri: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`integrity check failed for ${uri}: expected sha256 ${expected}, got ${actual}`);
    this.name = 'IntegrityError';
  }
}

export class ObjectTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`object is larger than the limit of ${limitBytes} bytes`);
    this.name = 'ObjectTooLargeError';
  }
}
