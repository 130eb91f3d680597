import { Inject, Injectable, type Provider } from '@nestjs/common';
import { createHmac, hkdfSync } from 'node:crypto';
import { constantTimeEqual } from '../../internal/constant-time.js';
import { ENCRYPTION_SECRET } from '../../tokens/encryption-secret.provider.js';

/** DI token of the cookie MAC key: HKDF-SHA-256 of the encryption secret, bound to this one purpose. */
export const COOKIE_SIGNING_KEY = Symbol('authnest:cookie-signing-key');

export const cookieSigningKeyProvider: Provider = {
  provide: COOKIE_SIGNING_KEY,
  inject: [ENCRYPTION_SECRET],
  useFactory: (secret: string): Buffer => Buffer.from(hkdfSync('sha256', secret, 'authnest', 'authnest cookie signing v1', 32)),
};

/** What a signed cookie is for: a MAC for one purpose never verifies for another. */
export type CookiePurpose = 'session' | 'interaction' | 'logout' | 'rp-browser' | 'rp-session' | 'device';

/**
 * Signs cookie values as `value.HMAC-SHA-256(key, purpose:value)` (base64url) and verifies them in
 * constant time. Values are base64url, so the last `.` separates the MAC.
 */
@Injectable()
export class CookieSigner {
  constructor(@Inject(COOKIE_SIGNING_KEY) private readonly key: Buffer) {}

  sign(purpose: CookiePurpose, value: string): string {
    return `${value}.${this.mac(purpose, value)}`;
  }

  /** The signed value, or undefined when the MAC does not verify. */
  verify(purpose: CookiePurpose, signed: string): string | undefined {
    const dot = signed.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const value = signed.slice(0, dot);
    return constantTimeEqual(signed.slice(dot + 1), this.mac(purpose, value)) ? value : undefined;
  }

  private mac(purpose: CookiePurpose, value: string): string {
    return createHmac('sha256', this.key).update(`${purpose}:${value}`, 'utf8').digest('base64url');
  }
}
