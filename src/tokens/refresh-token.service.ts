import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../auth.tokens.js';
import { Clock } from '../internal/clock.js';
import { randomToken, timeOrderedId } from '../internal/random.js';
import { sha256Hex } from '../internal/sha256.js';
import type { ResolvedAuthOptions } from '../options/resolved-options.js';
import type { RefreshTokenEntity } from '../persistence/entities/refresh-token.entity.js';
import { RefreshTokenStore } from '../persistence/stores/refresh-token.store.js';

/** What a new refresh token carries. */
export interface RefreshTokenRequest {
  clientId: string;
  accountId: string;
  /** The scopes of the original grant (never the narrowed scopes of one refresh). */
  scopes: readonly string[];
  /** When the user authenticated (ms). */
  authTime: number;
  /** The family: the id of the authorization code that started the grant. */
  grantId: string;
  /** Absolute end of the family (ms); omitted for the first token of a family (now + `refreshToken.absoluteTtl`). */
  grantExpiresAt?: number;
  /** The login session of the grant, and how the user authenticated (for refreshed ID tokens). */
  sid?: string | null;
  acr?: string | null;
  amr?: readonly string[];
  /** The grant's `claims` request, as stored. */
  claims?: string | null;
  /** RFC 8707: the grant's resources (every rotation keeps them all). */
  resources?: readonly string[];
  /** RFC 9449 section 5: the DPoP key thumbprint a public client's refresh token is bound to (rotations keep it). */
  jkt?: string | null;
}

/** Longer strings are not tokens this service issued; they never reach the database. */
const MAX_TOKEN_LENGTH = 512;

/**
 * Refresh tokens: 256 random bits, stored only as a SHA-256 hash, in a family per grant. Each token is usable
 * for `refreshToken.ttl` seconds when idle; no rotation extends a family past `refreshToken.absoluteTtl` from
 * its first token. Rotation is one atomic conditional update (`rotate`).
 */
@Injectable()
export class RefreshTokenService {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly store: RefreshTokenStore,
    private readonly clock: Clock,
  ) {}

  async issue(request: RefreshTokenRequest): Promise<string> {
    const token = randomToken(32);
    const now = this.clock.now();
    const grantExpiresAt = request.grantExpiresAt ?? now + this.options.refreshToken.absoluteTtl * 1000;
    await this.store.insert({
      id: timeOrderedId(10, now),
      tokenHash: sha256Hex(token),
      grantId: request.grantId,
      clientId: request.clientId,
      accountId: request.accountId,
      scopes: [...request.scopes],
      authTime: request.authTime,
      issuedAt: now,
      expiresAt: Math.min(now + this.options.refreshToken.ttl * 1000, grantExpiresAt),
      grantExpiresAt,
      rotatedAt: null,
      revokedAt: null,
      sid: request.sid ?? null,
      acr: request.acr ?? null,
      amr: [...(request.amr ?? [])],
      claims: request.claims ?? null,
      resources: [...(request.resources ?? [])],
      jkt: request.jkt ?? null,
    });
    return token;
  }

  /** The stored row of a presented token, whatever its state, or null. */
  find(token: string): Promise<RefreshTokenEntity | null> {
    if (token.length > MAX_TOKEN_LENGTH) return Promise.resolve(null);
    return this.store.findByHash(sha256Hex(token));
  }

  /** The row as it is stored now (after a lost race). */
  reload(row: RefreshTokenEntity): Promise<RefreshTokenEntity | null> {
    return this.store.findByHash(row.tokenHash);
  }

  /** Past its idle or its absolute lifetime. */
  isExpired(row: RefreshTokenEntity, now = this.clock.now()): boolean {
    return now >= row.expiresAt || now >= row.grantExpiresAt;
  }

  /** Neither revoked, rotated nor expired: what introspection calls active. */
  isActive(row: RefreshTokenEntity, now = this.clock.now()): boolean {
    return row.revokedAt === null && row.rotatedAt === null && !this.isExpired(row, now);
  }

  /**
   * A rotated token presented again within `refreshToken.reuseGrace` seconds of its rotation (a retried
   * request, two tabs): answered with fresh tokens instead of revoking the family. 0 disables the window.
   */
  withinReuseGrace(row: RefreshTokenEntity, now = this.clock.now()): boolean {
    const grace = this.options.refreshToken.reuseGrace * 1000;
    return grace > 0 && row.rotatedAt !== null && now - row.rotatedAt <= grace;
  }

  /** Marks the token rotated; false when another request rotated it first or it was revoked. */
  rotate(row: RefreshTokenEntity): Promise<boolean> {
    return this.store.markRotated(row.id, this.clock.now());
  }
}
