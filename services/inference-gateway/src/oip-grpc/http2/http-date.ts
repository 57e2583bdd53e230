let second = -1;
let text = '';

/** The current time as an HTTP date (RFC 9110 section 5.6.7), formatted once per second rather than per response. */
export function httpDate(): string {
  const now = Math.floor(Date.now() / 1000);
  if (now !== second) {
    second = now;
    text = new Date(now * 1000).toUTCString();
  }
  return text;
}
