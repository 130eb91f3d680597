import { createHmac, hkdfSync } from 'node:crypto';
import { constantTimeEqual } from '../../internal/constant-time.js';

/** The HMAC key of DPoP nonces: HKDF-SHA-256 of the encryption secret, bound to this one purpose. */
export function dpopNonceKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'authnest', 'authnest dpop nonce v1', 32));
}

/**
 * Server-provided DPoP nonces (RFC 9449 section 8) that every instance agrees on without storing anything: the nonce
 * of a time window is the HMAC of the window's number under a key derived from the encryption secret. A nonce is
 * accepted during its window and the next, so one handed out just before a window ends still works for a full
 * `lifetime`. Nonces are unpredictable without the secret; within a window one nonce serves every client (the proof's
 * own `jti` and `iat` keep each proof single-use and fresh).
 */
export class DpopNonces {
  constructor(
    private readonly key: Buffer,
    /** Seconds per window. */
    private readonly lifetime: number,
    /** Seconds since the epoch. */
    private readonly nowSeconds: () => number,
  ) {}

  /** The nonce to hand out now. */
  current(): string {
    return this.nonceOf(this.window());
  }

  /** Whether a proof's nonce is this window's or the previous one's. */
  isValid(nonce: string | undefined): boolean {
    if (nonce === undefined) return false;
    const window = this.window();
    // Both compared, always: the time taken does not tell which window matched.
    const current = constantTimeEqual(nonce, this.nonceOf(window));
    const previous = constantTimeEqual(nonce, this.nonceOf(window - 1));
    return current || previous;
  }

  private window(): number {
    return Math.floor(this.nowSeconds() / this.lifetime);
  }

  private nonceOf(window: number): string {
    return createHmac('sha256', this.key).update(`dpop-nonce:${this.lifetime}:${window}`).digest('base64url');
  }
}
