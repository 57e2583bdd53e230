/**
 * Octets RFC 9113 section 8.2.1 forbids in a field name: controls, space, uppercase, DEL and non-ASCII. A ':' is
 * allowed by that rule; which pseudo-header names exist is checked on the whole list.
 */
const NAME_OCTET_OK = new Uint8Array(256);
for (let octet = 0x21; octet < 0x7f; octet++) NAME_OCTET_OK[octet] = octet >= 0x41 && octet <= 0x5a ? 0 : 1;

export function validFieldName(bytes: Uint8Array, start: number, end: number): boolean {
  if (start === end) return false;
  for (let i = start; i < end; i++) if (NAME_OCTET_OK[bytes[i]] === 0) return false;
  return true;
}

/** RFC 9113 section 8.2.1: no NUL, CR or LF in a value, and no space or tab at either end. */
export function validFieldValue(bytes: Uint8Array, start: number, end: number): boolean {
  if (start === end) return true;
  if (isBlank(bytes[start]) || isBlank(bytes[end - 1])) return false;
  for (let i = start; i < end; i++) {
    const octet = bytes[i];
    if (octet === 0x00 || octet === 0x0a || octet === 0x0d) return false;
  }
  return true;
}

function isBlank(octet: number): boolean {
  return octet === 0x20 || octet === 0x09;
}
