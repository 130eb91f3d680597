import { Inject, Injectable, Optional } from '@nestjs/common';
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { AUTH_OPTIONS } from '../auth.tokens.js';
import { InvalidTokenError } from '../errors/bearer-errors.js';
import { Clock } from '../internal/clock.js';
import { TtlCache } from '../internal/ttl-cache.js';
import type { SigningAlgorithm } from '../options/auth-options.interface.js';
import type { ResolvedAuthOptions } from '../options/resolved-options.js';
import { AccessTokenStore } from '../persistence/stores/access-token.store.js';
import { RevocationBroadcast } from '../persistence/redis/revocation-broadcast.js';
import { accessTokenIdOf } from './access-token-id.js';
import type { AccessTokenInfo } from './access-token-info.js';
import { jwtAccessTokenInfo, jwtAccessTokenVerifyOptions, jwtFailureDescription } from './jwt-access-token-claims.js';
import { KeyStoreService } from './key-store.service.js';
import { opaqueAccessTokenClaims } from './opaque-token-claims.js';

/**
 * Every algorithm authnest signs with (never `none` or HMAC; a record so a new `SigningAlgorithm` must be added).
 * Which key verifies a token is bound by its `kid` and the key's own `alg`; the list does not depend on the keys
 * loaded so far, so a token signed by a key of another algorithm that another instance just added reaches the
 * key reload below.
 */
const ALGORITHMS = Object.keys({ ES256: true, RS256: true, EdDSA: true } satisfies Record<SigningAlgorithm, true>);
const KEY_RELOAD_INTERVAL_MS = 60_000;
const CACHE_ENTRIES = 10_000;

/**
 * Verifies access tokens issued by this server: JWTs locally (signature with a published key, `typ`
 * `at+jwt`, iss, aud, exp/iat with `resource.leeway`, required RFC 9068 claims) and not revoked in the database,
 * opaque tokens by lookup (not revoked, not expired, audience). Results are cached briefly, never past `exp`: a
 * revocation through this instance forgets the token at once, one made elsewhere is seen once the entry expires (at
 * once with the `redis` option: see `RevocationBroadcast`).
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly cache: TtlCache<AccessTokenInfo>;
  private keySet: ReturnType<typeof createLocalJWKSet>;
  private keySetVersion: unknown;
  private lastKeyReload = 0;

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly keys: KeyStoreService,
    private readonly accessTokens: AccessTokenStore,
    private readonly clock: Clock,
    @Optional() private readonly broadcast?: RevocationBroadcast,
  ) {
    this.cache = new TtlCache(CACHE_ENTRIES, () => this.clock.now());
    // With the `redis` option, a revocation on any instance drops the token here at once.
    broadcast?.onRevoked((id) => this.cache.deleteWhere((info) => info.jti === id));
  }

  /** Resolves the verified token, or throws `InvalidTokenError` (401). */
  async verify(token: string): Promise<AccessTokenInfo> {
    const cached = this.cached(token);
    if (cached) return cached;
    const isJwt = token.split('.').length === 3;
    const info = isJwt ? await this.verifyUnrevokedJwt(token) : await this.verifyOpaque(token);
    const ttl = isJwt ? this.options.resource.jwtCacheTtl : this.options.resource.opaqueCacheTtl;
    this.cache.set(token, info, Math.min(this.clock.now() + ttl * 1000, info.exp * 1000));
    return info;
  }

  /** The token as verified within `resource.jwtCacheTtl` / `resource.opaqueCacheTtl` (never past `exp`), if it was. */
  cached(token: string): AccessTokenInfo | undefined {
    return this.cache.get(token);
  }

  /**
   * Verifies a JWT access token issued for `audience` (signature, `typ`, `iss`, `aud`, `exp`/`iat`, required
   * claims) without the cache. For introspection, which answers for tokens of every audience.
   */
  verifyJwtFor(token: string, audience: string): Promise<AccessTokenInfo> {
    return this.verifyJwt(token, audience);
  }

  /** Forgets a cached verification (after a revocation on this instance), and on the others with the `redis` option. */
  forget(token: string): void {
    this.cache.delete(token);
    const id = accessTokenIdOf(token);
    if (id) this.broadcast?.revoked(id);
  }

  /**
   * Forgets every cached verification that `matches` (after revoking many tokens at once, e.g. all of a user's or a
   * client's), and tells the other instances the revoked `ids` with the `redis` option.
   */
  forgetMatching(matches: (info: AccessTokenInfo) => boolean, ids: readonly string[] = []): void {
    this.cache.deleteWhere(matches);
    for (const id of ids) this.broadcast?.revoked(id);
  }

  private invalid(description?: string): InvalidTokenError {
    return new InvalidTokenError(this.options.resource.realm, description);
  }

  private currentKeySet(): ReturnType<typeof createLocalJWKSet> {
    const published = this.keys.publicKeys();
    if (this.keySetVersion !== published) {
      this.keySet = createLocalJWKSet({ keys: [...published] });
      this.keySetVersion = published;
    }
    return this.keySet;
  }

  private async verifyJwt(token: string, audience = this.options.accessToken.audience, retried = false): Promise<AccessTokenInfo> {
    let payload: JWTPayload;
    // Keys rotated or revoked on another instance are seen within `signing.reloadInterval`.
    if (!retried) await this.keys.refreshIfDue();
    try {
      ({ payload } = await jwtVerify(
        token,
        this.currentKeySet(),
        jwtAccessTokenVerifyOptions({
          algorithms: ALGORITHMS,
          issuer: this.options.issuer,
          audience,
          leeway: this.options.resource.leeway,
          now: this.clock.now(),
        }),
      ));
    } catch (error) {
      if (error instanceof joseErrors.JWKSNoMatchingKey && !retried && this.mayReloadKeys()) {
        await this.keys.reload();
        return this.verifyJwt(token, audience, true);
      }
      throw this.invalid(jwtFailureDescription(error));
    }
    const info = jwtAccessTokenInfo(payload);
    if (!info) throw this.invalid();
    return info;
  }

  /**
   * A JWT that verifies and whose row is not revoked (checked once per `resource.jwtCacheTtl`, like everything the
   * cache remembers). A server-signed token without a row (purged after its `exp`) is judged by its signature.
   */
  private async verifyUnrevokedJwt(token: string): Promise<AccessTokenInfo> {
    const info = await this.verifyJwt(token);
    const row = await this.accessTokens.findById(info.jti);
    if (row && row.revokedAt !== null) throw this.invalid();
    return info;
  }

  private mayReloadKeys(): boolean {
    const now = this.clock.now();
    if (now - this.lastKeyReload < KEY_RELOAD_INTERVAL_MS) return false;
    this.lastKeyReload = now;
    return true;
  }

  private async verifyOpaque(token: string): Promise<AccessTokenInfo> {
    if (token.length > 512) throw this.invalid();
    const row = await this.accessTokens.findByToken(token);
    if (!row || row.format !== 'opaque' || row.revokedAt !== null || row.expiresAt <= this.clock.now()) throw this.invalid();
    if (row.audience !== this.options.accessToken.audience) throw this.invalid();
    const claims = opaqueAccessTokenClaims(row, this.options.issuer);
    return {
      format: 'opaque',
      jti: row.id,
      iss: this.options.issuer,
      sub: row.subject,
      aud: [row.audience],
      clientId: row.clientId,
      scopes: row.scopes,
      iat: claims.iat,
      exp: claims.exp,
      claims,
      // RFC 9449 section 6.2: the key an opaque token is bound to, as a JWT's `cnf` would say.
      ...(row.jkt !== null ? { cnf: { jkt: row.jkt } } : {}),
    };
  }
}
