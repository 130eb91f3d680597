import { sha256Hex } from '../../internal/sha256.js';
import type { NonceStore } from '../../persistence/stores/nonce.store.js';

/** Where used proof `jti`s are remembered (RFC 9449 section 11.1). */
export interface DpopReplayStore {
  /** Records the proof until `expiresAt` (ms); resolves false when it was recorded before (a replay). */
  remember(jkt: string, jti: string, now: number, expiresAt: number): Promise<boolean>;
}

/** The id under which a proof is remembered: the SHA-256 of its key's thumbprint and its `jti` (neither is stored). */
function proofId(jkt: string, jti: string): string {
  return sha256Hex(`dpop\u0000${jkt}\u0000${jti}`);
}

/** Proofs remembered in `authnest_nonces`: once across every instance on the database, and across restarts. */
export class DatabaseReplayStore implements DpopReplayStore {
  constructor(private readonly nonces: NonceStore) {}

  remember(jkt: string, jti: string, now: number, expiresAt: number): Promise<boolean> {
    return this.nonces.remember(proofId(jkt, jti), now, expiresAt);
  }
}

/**
 * Proofs remembered in this process only, for `AuthResourceModule`, which has no database: a proof is single use per
 * instance. Bounded: when `maxEntries` unexpired proofs are held, new proofs are refused (as replays) rather than
 * forgetting one that is still acceptable.
 */
export class MemoryReplayStore implements DpopReplayStore {
  private readonly entries = new Map<string, number>();

  constructor(private readonly maxEntries = 100_000) {}

  remember(jkt: string, jti: string, now: number, expiresAt: number): Promise<boolean> {
    const id = proofId(jkt, jti);
    const known = this.entries.get(id);
    if (known !== undefined && known > now) return Promise.resolve(false);
    if (this.entries.size >= this.maxEntries) this.sweep(now);
    if (this.entries.size >= this.maxEntries) return Promise.resolve(false);
    this.entries.set(id, expiresAt);
    return Promise.resolve(true);
  }

  private sweep(now: number): void {
    for (const [id, expiresAt] of this.entries) if (expiresAt <= now) this.entries.delete(id);
  }
}
