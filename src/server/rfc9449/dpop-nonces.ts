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
 * `lifetime`; and, within `leeway` seconds before a window begins, that window's, so one handed out by an instance
 * whose clock runs up to `leeway` ahead works here too. Nonces are unpredictable without the secret; within a window
 * one nonce serves every client (the proof's own `jti` and `iat` keep each proof single-use and fresh).
 */
export class DpopNonces {
  constructor(
    private readonly key: Buffer,
    /** Seconds per window. */
    private readonly lifetime: number,
    /** Seconds since the epoch. */
    private readonly nowSeconds: () => number,
    /** Seconds another instance's clock may be ahead of this one's (`dpop.leeway`). */
    private readonly leeway = 0,
  ) {}

  /** The nonce to hand out now. */
  current(): string {
    return this.nonceOf(this.window());
  }

  /** Whether a proof's nonce is this window's, the previous one's, or (within `leeway` of its start) the next one's. */
  isValid(nonce: string | undefined): boolean {
    if (nonce === undefined) return false;
    const window = this.window();
    // All compared, always: the time taken does not tell which window matched.
    const current = constantTimeEqual(nonce, this.nonceOf(window));
    const previous = constantTimeEqual(nonce, this.nonceOf(window - 1));
    const ahead = constantTimeEqual(nonce, this.nonceOf(this.window(this.leeway)));
    return current || previous || ahead;
  }

  private window(aheadSeconds = 0): number {
    return Math.floor((this.nowSeconds() + aheadSeconds) / this.lifetime);
  }

  private nonceOf(window: number): string {
    return createHmac('sha256', this.key).update(`dpop-nonce:${this.lifetime}:${window}`).digest('base64url');
  }
}
