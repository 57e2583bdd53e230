import type { AuditEntry } from '@mlops/contracts';
import { chain, ChainVerifier, contentOf, EMPTY_HEAD, GENESIS_SHA256, linkSha256 } from './audit-chain';
import { canonicalJson, sha256Hex } from './canonical-json';

function chainOf(count: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let seq = 1; seq <= count; seq++) {
    const previous = entries[seq - 2]?.entrySha256 ?? GENESIS_SHA256;
    entries.push(
      chain(
        {
          seq,
          eventId: `event-${seq}`,
          eventType: 'mlops.registry.deployment-changed.v1',
          source: '/mlops/registry',
          subject: 'churn',
          occurredAt: new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString(),
          recordedAt: new Date(Date.UTC(2026, 0, 1, 0, seq, 1)).toISOString(),
          data: { revision: seq, reason: `step ${seq}` },
        },
        previous,
      ),
    );
  }
  return entries;
}

function verify(entries: AuditEntry[], head = { seq: entries[entries.length - 1].seq, entrySha256: entries[entries.length - 1].entrySha256 }) {
  const verifier = new ChainVerifier();
  entries.forEach((entry) => verifier.feed(entry));
  return verifier.finish(head);
}

describe('canonical JSON', () => {
  it('sorts keys at every depth, drops whitespace and writes numbers as ECMAScript does', () => {
    expect(canonicalJson({ b: [3, { z: 1, a: 'é\n' }], a: 1e21, c: 0.1, d: -0, e: null })).toBe('{"a":1e+21,"b":[3,{"a":"é\\n","z":1}],"c":0.1,"d":0,"e":null}');
  });

  it('gives the same text whatever the key order, and refuses what JSON cannot hold', () => {
    expect(canonicalJson({ x: { q: 1, p: 2 }, y: true })).toBe(canonicalJson({ y: true, x: { p: 2, q: 1 } }));
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/NaN/);
    expect(() => canonicalJson(undefined)).toThrow(/no JSON representation/);
  });

  it('hashes the UTF-8 bytes of the canonical text', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('audit chain', () => {
  it('links each entry to the one before through SHA-256(previous + content)', () => {
    const [first, second] = chainOf(2);
    expect(first.previousSha256).toBe(GENESIS_SHA256);
    expect(first.contentSha256).toBe(sha256Hex(canonicalJson(contentOf(first))));
    expect(first.entrySha256).toBe(sha256Hex(GENESIS_SHA256 + first.contentSha256));
    expect(second.previousSha256).toBe(first.entrySha256);
    expect(second.entrySha256).toBe(linkSha256(first.entrySha256, second.contentSha256));
  });

  it('verifies an untouched chain, and an empty one', () => {
    expect(verify(chainOf(5))).toEqual({ entriesChecked: 5, firstBrokenLink: null, brokenLinks: 0 });
    expect(new ChainVerifier().finish(EMPTY_HEAD)).toEqual({ entriesChecked: 0, firstBrokenLink: null, brokenLinks: 0 });
  });

  it('names an altered entry', () => {
    const entries = chainOf(5);
    entries[2] = { ...entries[2], data: { revision: 3, reason: 'rewritten' } };
    expect(verify(entries)).toMatchObject({ firstBrokenLink: { seq: 3, kind: 'content-altered' }, brokenLinks: 1 });
  });

  it('names the first missing entry when rows are deleted', () => {
    const entries = chainOf(5);
    expect(verify([entries[0], entries[3], entries[4]]).firstBrokenLink).toMatchObject({ seq: 2, kind: 'missing-entries', detail: '2 entries missing before entry 4' });
  });

  it('names the first of two entries whose places were swapped', () => {
    const entries = chainOf(5);
    const swapped = [entries[0], { ...entries[2], seq: 2 }, { ...entries[1], seq: 3 }, entries[3], entries[4]];
    expect(verify(swapped)).toMatchObject({ firstBrokenLink: { seq: 2, kind: 'content-altered' }, brokenLinks: 3 });
  });

  it('names an entry rehashed to hide an edit, since its successor no longer links to it', () => {
    const entries = chainOf(4);
    entries[1] = chain({ ...contentOf(entries[1]), data: { revision: 2, reason: 'forged' } }, entries[0].entrySha256);
    expect(verify(entries, { seq: 4, entrySha256: entries[3].entrySha256 }).firstBrokenLink).toMatchObject({ seq: 3, kind: 'link-broken' });
  });

  it('names an altered entry hash', () => {
    const entries = chainOf(3);
    entries[2] = { ...entries[2], entrySha256: 'f'.repeat(64) };
    expect(verify(entries, { seq: 3, entrySha256: 'f'.repeat(64) }).firstBrokenLink).toMatchObject({ seq: 3, kind: 'entry-hash-altered' });
  });

  it('names entries cut from the end against the head the appender recorded', () => {
    const entries = chainOf(4);
    const head = { seq: 4, entrySha256: entries[3].entrySha256 };
    expect(verify(entries.slice(0, 3), head).firstBrokenLink).toMatchObject({ seq: 4, kind: 'head-mismatch' });
  });
});
