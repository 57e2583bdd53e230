import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { BUCKETS, ObjectStore } from '@mlops/storage';

export type CardFormat = 'md' | 'html';

const CONTENT_TYPES: Record<CardFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

/** Rendered cards in the reports bucket: cards/<model>/<version>/card.<md|html>. */
@Injectable()
export class CardStore {
  constructor(private readonly objectStore: ObjectStore) {}

  async put(modelName: string, version: number, format: CardFormat, text: string): Promise<{ uri: string; sha256: string }> {
    const stored = await this.objectStore.putBuffer(BUCKETS.reports, `cards/${modelName}/${version}/card.${format}`, Buffer.from(text, 'utf8'), {
      contentType: CONTENT_TYPES[format],
    });
    return { uri: stored.uri, sha256: stored.sha256 };
  }

  /** Fails with the storage library's IntegrityError if the object is not the one rendered. */
  open(uri: string, sha256: string): Promise<Readable> {
    return this.objectStore.openVerified(uri, sha256);
  }

  contentType(format: CardFormat): string {
    return CONTENT_TYPES[format];
  }
}
