import type { EventData } from '@mlops/contracts';

export type KeyRecord = EventData<'mlops.governance.api-key-changed'>;

/**
 * The API keys a service accepts, kept in memory from governance's compacted key topic: a request is checked
 * against it without any call to governance.
 */
export class KeyDirectory {
  private readonly keys = new Map<string, KeyRecord>();
  private readonly listeners: ((keyId: string) => void)[] = [];
  private loaded = false;

  /** Applies a key's latest state. Revocation is final: a replayed earlier state of the key cannot undo it. */
  apply(record: KeyRecord): void {
    const revokedAt = this.keys.get(record.keyId)?.revokedAt ?? record.revokedAt;
    this.keys.set(record.keyId, { ...record, revokedAt });
    for (const listener of this.listeners) listener(record.keyId);
  }

  find(keyId: string): KeyRecord | undefined {
    return this.keys.get(keyId);
  }

  /** Called with the key id after every change, e.g. to forget what was cached about that key. */
  onChange(listener: (keyId: string) => void): void {
    this.listeners.push(listener);
  }

  /** Set once everything the topic held when the service started has been applied. */
  markLoaded(): void {
    this.loaded = true;
  }

  isLoaded(): boolean {
    return this.loaded;
  }

  get size(): number {
    return this.keys.size;
  }
}
