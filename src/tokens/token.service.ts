import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../auth.tokens.js';
import { TokenIssuanceEvents } from '../events/token-issuance-events.service.js';
import { Clock } from '../internal/clock.js';
import { timeOrderedId } from '../internal/random.js';
import { formatScope } from '../internal/scope.js';
import { sha256Hex } from '../internal/sha256.js';
import type { AccessTokenFormat } from '../options/auth-options.interface.js';
import type { ResolvedAuthOptions } from '../options/resolved-options.js';
import type { ClientEntity } from '../persistence/entities/client.entity.js';
import { AccessTokenStore } from '../persistence/stores/access-token.store.js';
import { newOpaqueAccessToken } from './access-token-id.js';
import { signCompactJws } from './jws-signer.js';
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
  /** RFC 8693 section 4.1: the `act` claim (actor chain) of a token issued by token exchange. */
  act?: Record<string, unknown>;
  /** RFC 8693 section 4.4: the `may_act` claim (who may act for the subject). */
  mayAct?: Record<string, unknown>;
  /** The `aud` of the token (RFC 8707: a resource's URI); default: the client's `audience`, else `accessToken.audience`. */
  audience?: string;
  /** Default: the client's `accessTokenFormat`, else `accessToken.format`. */
  format?: AccessTokenFormat;
  /** Lifetime in seconds; default: `accessToken.ttl`. */
  ttl?: number;
  /** RFC 9449: the DPoP key thumbprint (RFC 7638) the token is bound to (JWT `cnf.jkt`, row `jkt`); none: a bearer token. */
  jkt?: string;
}

/** A freshly issued access token. */
export interface IssuedAccessToken {
  accessToken: string;
  format: AccessTokenFormat;
  jti: string;
  /** Seconds until expiry. */
  expiresIn: number;
  /** The response's `token_type`: `DPoP` for a token bound to a DPoP key (RFC 9449 section 5), else `Bearer`. */
  tokenType: 'Bearer' | 'DPoP';
}

/**
 * Mints access tokens: RFC 9068 JWTs (`typ: at+jwt`, `kid` header) or opaque tokens (the row's id, then 256 random
 * bits). Either way a row keyed by the token's id records the token's SHA-256 hash (never the token), so
 * introspection and revocation work for both. The format is the client's override or `accessToken.format`.
 */
@Injectable()
export class TokenService {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly keys: KeyStoreService,
    private readonly accessTokens: AccessTokenStore,
    private readonly clock: Clock,
    private readonly issuance: TokenIssuanceEvents,
  ) {}

  async issueAccessToken(request: AccessTokenRequest): Promise<IssuedAccessToken> {
    const format = request.format ?? (request.client.accessTokenFormat as AccessTokenFormat | null) ?? this.options.accessToken.format;
    const audience = request.audience ?? request.client.audience ?? this.options.accessToken.audience;
    const ttl = request.ttl ?? this.options.accessToken.ttl;
    const now = this.clock.now();
    const jti = timeOrderedId(10, now);
    const iat = Math.floor(now / 1000);
    const accessToken = format === 'opaque' ? newOpaqueAccessToken(jti) : await this.signJwt(request, audience, jti, iat, ttl);
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
      act: request.act ? JSON.stringify(request.act) : null,
      mayAct: request.mayAct ? JSON.stringify(request.mayAct) : null,
      jkt: request.jkt ?? null,
    });
    if (this.issuance.active) {
      this.issuance.note(jti, { subject: request.subject, scope: formatScope(request.scopes), format, expiresAt: iat + ttl });
    }
    return { accessToken, format, jti, expiresIn: ttl, tokenType: request.jkt ? 'DPoP' : 'Bearer' };
  }

  private async signJwt(request: AccessTokenRequest, audience: string, jti: string, iat: number, ttl: number): Promise<string> {
    const key = await this.keys.currentSigningKey();
    const claims: Record<string, unknown> = { client_id: request.client.clientId };
    if (request.scopes.length > 0) claims.scope = formatScope(request.scopes);
    if (request.act) claims.act = request.act;
    if (request.mayAct) claims.may_act = request.mayAct;
    if (request.jkt) claims.cnf = { jkt: request.jkt };
    // The claims in the order jose's SignJWT wrote them: the token's own, then iss, sub, aud, jti, iat, exp.
    claims.iss = this.options.issuer;
    claims.sub = request.subject;
    claims.aud = audience;
    claims.jti = jti;
    claims.iat = iat;
    claims.exp = iat + ttl;
    return signCompactJws(key, { alg: key.alg, kid: key.kid, typ: 'at+jwt' }, claims);
  }
}
