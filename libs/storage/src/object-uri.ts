/** Objects are named by URI in events and tables so a reference says which bucket as well as which key. */
export function objectUri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

const OBJECT_URI = /^s3:\/\/([^/]+)\/(.+)$/;

export function parseObjectUri(uri: string): { bucket: string; key: string } {
  const match = OBJECT_URI.exec(uri);
  if (!match) throw new TypeError(`not an object URI (s3://<bucket>/<key>): ${JSON.stringify(uri)}`);
  return { bucket: match[1], key: match[2] };
}
