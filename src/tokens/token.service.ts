import { Inject, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { AUTH_OPTIONS } from '../auth.tokens.js';
import { Clock } from '../internal/clock.js';
import { randomToken } from '../internal/random.js';
import { formatScope } from '../internal/scope.js';
import { sha256Hex } from '../internal/sha256.js';
import type { AccessTokenFormat } from '../options/auth-options.interface.js';
import type { ResolvedAuthOptions } from '../options/resolved-options.js';
import type { ClientEntity } from '../persistence/entities/client.entity.js';
import { AccessTokenStore } from '../persistence/stores/access-token.store.js';
import { KeyStoreService } from './key-store.service.js';

/** What to put in a new access token. */
export interface AccessTokenRequest {
  client: ClientEntity;
  /** User id, or the client id for tokens issued to the client itself. */
  subject: string;
  scopes: readonly string[];
  /** The grant (authorization code id / refresh family) the token belongs to; revoked together. */
  grantId?: string;
  /** The login session of the grant (its logout revokes the token unless the grant has `offline_access`). */
  sid?: string | null;
  /** The grant's `claims` request, as stored (what UserInfo releases besides the scopes' claims). */
  claims?: string | null;
}

/** A freshly issued access token. */
export interface IssuedAccessToken {
  accessToken: string;
  format: AccessTokenFormat;
  jti: string;
  /** Seconds until expiry. */
  expiresIn: number;
}

/**
 * Mints access tokens: RFC 9068 JWTs (`typ: at+jwt`, `kid` header) or opaque 256-bit tokens. Either way a
 * row keyed by the token's SHA-256 hash records it (never the token), so introspection and revocation
 * work for both. The format is the client's override or `accessToken.format`.
 */
@Injectable()
export class TokenService {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly keys: KeyStoreService,
    private readonly accessTokens: AccessTokenStore,
    private readonly clock: Clock,
  ) {}

  async issueAccessToken(request: AccessTokenRequest): Promise<IssuedAccessToken> {
    const format = (request.client.accessTokenFormat as AccessTokenFormat | null) ?? this.options.accessToken.format;
    const audience = request.client.audience ?? this.options.accessToken.audience;
    const ttl = this.options.accessToken.ttl;
    const jti = randomToken(16);
    const iat = this.clock.nowSeconds();
    const accessToken = format === 'opaque' ? randomToken(32) : await this.signJwt(request, audience, jti, iat, ttl);
    await this.accessTokens.insert({
      id: jti,
      tokenHash: sha256Hex(accessToken),
      clientId: request.client.clientId,
      format,
      grantId: request.grantId ?? null,
      subject: request.subject,
      scopes: [...request.scopes],
      audience,
      issuedAt: iat * 1000,
      expiresAt: (iat + ttl) * 1000,
      revokedAt: null,
      sid: request.sid ?? null,
      claims: request.claims ?? null,
    });
    return { accessToken, format, jti, expiresIn: ttl };
  }

  private signJwt(request: AccessTokenRequest, audience: string, jti: string, iat: number, ttl: number): Promise<string> {
    const key = this.keys.signingKey();
    const claims: Record<string, unknown> = { client_id: request.client.clientId };
    if (request.scopes.length > 0) claims.scope = formatScope(request.scopes);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
      .setIssuer(this.options.issuer)
      .setSubject(request.subject)
      .setAudience(audience)
      .setJti(jti)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttl)
      .sign(key.privateKey);
  }
}
