import type { OrtSession } from './ort-session';
import type { ServedSignature } from './served-signature';

/**
 * One (model, version) session. Every request holds a lease for as long as it uses the session; a retired model
 * is released only when its last lease ends, so a swap never cuts a request off mid-run.
 */
export class LoadedModel {
  private leases = 0;
  private retired = false;
  private released = false;

  constructor(
    readonly name: string,
    readonly version: number,
    readonly sha256: string,
    readonly session: OrtSession,
    readonly signature: ServedSignature,
    private readonly onReleased: (model: LoadedModel) => void = () => undefined,
  ) {}

  get inFlight(): number {
    return this.leases;
  }

  get isReleased(): boolean {
    return this.released;
  }

  /** Synchronous, so looking a model up and leasing it happen in the same turn of the event loop as any swap. */
  acquire(): () => void {
    if (this.released) throw new Error(`${this.name} v${this.version} has been released`);
    this.leases++;
    let returned = false;
    return () => {
      if (returned) return;
      returned = true;
      this.leases--;
      this.releaseIfIdle();
    };
  }

  retire(): void {
    this.retired = true;
    this.releaseIfIdle();
  }

  private releaseIfIdle(): void {
    if (!this.retired || this.leases > 0 || this.released) return;
    this.released = true;
    this.session.release();
    this.onReleased(this);
  }
}
