import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../auth.tokens.js';
import { Clock } from '../internal/clock.js';
import { timeOrderedId } from '../internal/random.js';
import { formatScope } from '../internal/scope.js';
import { sha256Hex } from '../internal/sha256.js';
import type { ResolvedAuthOptions } from '../options/resolved-options.js';
import { AccessTokenStore } from '../persistence/stores/access-token.store.js';
import { AccessTokenVerifier } from '../tokens/access-token-verifier.service.js';
import { accessTokenIdOf, newOpaqueAccessToken } from '../tokens/access-token-id.js';
import { signCompactJws } from '../tokens/jws-signer.js';
import { KeyStoreService } from '../tokens/key-store.service.js';
import type { MintAccessTokenOptions, MintIdTokenOptions } from './auth-testing-options.interface.js';
import { dpopThumbprint, extraClaims, lifetimeOf, mintError, scopesOf } from './test-token-claims.js';
import { AUTH_TESTING_DEFAULTS, type ResolvedTestDefaults } from './testing-server-options.js';

/** Seconds an "expired" token is past its `exp`, beyond the guards' leeway. */
const EXPIRED_BY = 60;

/**
 * Mints real tokens of the testing server (signed with its keys, recorded in its database), so they pass or fail
 * the real guards exactly as tokens from the token endpoint would: no login flow, no client, no network.
 * Inject it in a test (`moduleRef.get(AuthTesting)`, `app.get(AuthTesting)`).
 */
@Injectable()
export class AuthTesting {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    @Inject(AUTH_TESTING_DEFAULTS) private readonly defaults: ResolvedTestDefaults,
    private readonly keys: KeyStoreService,
    private readonly accessTokens: AccessTokenStore,
    private readonly verifier: AccessTokenVerifier,
    private readonly clock: Clock,
  ) {}

  /** The issuer of every token minted here. */
  get issuer(): string {
    return this.options.issuer;
  }

  /** A valid access token: `mintAccessToken({ scope: 'posts:read', claims: { tenant: 't1' } })`. */
  async mintAccessToken(request: MintAccessTokenOptions = {}): Promise<string> {
    return this.mint(request, this.clock.nowSeconds(), lifetimeOf(request.expiresIn ?? this.defaults.expiresIn));
  }

  /** The `Authorization` header value for a new token: `Bearer <token>`, or `DPoP <token>` with the `dpop` option. */
  async authorization(request: MintAccessTokenOptions = {}): Promise<string> {
    return `${request.dpop ? 'DPoP' : 'Bearer'} ${await this.mintAccessToken(request)}`;
  }

  /** A token that expired a minute ago (beyond the guards' leeway): the guards answer 401 `invalid_token`. */
  expiredAccessToken(request: Omit<MintAccessTokenOptions, 'expiresIn'> = {}): Promise<string> {
    const lifetime = 60;
    const issuedAt = this.clock.nowSeconds() - this.options.resource.leeway - EXPIRED_BY - lifetime;
    return this.mint(request, issuedAt, lifetime);
  }

  /** A token that was revoked (as by the revocation endpoint): the guards answer 401 `invalid_token`. */
  async revokedAccessToken(request: MintAccessTokenOptions = {}): Promise<string> {
    const token = await this.mintAccessToken(request);
    await this.revoke(token);
    return token;
  }

  /** Revokes a token of this server (minted here or issued by its endpoints), at once for the guards too. */
  async revoke(token: string): Promise<void> {
    const row = await this.accessTokens.findByToken(token);
    if (!row) throw mintError('revoke: not an access token of this server');
    await this.accessTokens.revoke(row.id, this.clock.now());
    this.verifier.forget(token);
  }

  /** An ID token for `clientId` (OpenID Connect Core section 2), signed like the server's own. */
  async mintIdToken(request: MintIdTokenOptions = {}): Promise<string> {
    const claims = extraClaims(request.claims, 'id');
    const lifetime = lifetimeOf(request.expiresIn ?? this.defaults.expiresIn);
    const key = await this.keys.currentSigningKey();
    const iat = this.clock.nowSeconds();
    const payload: Record<string, unknown> = { ...claims, auth_time: Math.floor((request.authTime ?? this.clock.now()) / 1000) };
    if (request.nonce !== undefined) payload.nonce = request.nonce;
    Object.assign(payload, { iss: this.options.issuer, sub: request.subject ?? this.defaults.subject, aud: request.clientId ?? this.defaults.clientId, iat, exp: iat + lifetime });
    return signCompactJws(key, { alg: key.alg, kid: key.kid, typ: 'JWT' }, payload);
  }

  private async mint(request: MintAccessTokenOptions, iat: number, lifetime: number): Promise<string> {
    const format = request.format ?? this.defaults.tokenFormat;
    if (format !== 'jwt' && format !== 'opaque') throw mintError("format: must be 'jwt' or 'opaque'");
    const claims = extraClaims(request.claims, 'access');
    if (format === 'opaque' && Object.keys(claims).length > 0) throw mintError("claims: need format 'jwt' (an opaque token's claims are read from its database row)");
    const scopes = scopesOf(request.scope ?? this.defaults.defaultScopes);
    const subject = request.subject ?? this.defaults.subject;
    const clientId = request.clientId ?? this.defaults.clientId;
    const audience = request.audience ?? this.defaults.audience;
    const jkt = await dpopThumbprint(request.dpop);
    const jti = timeOrderedId(10, this.clock.now());
    const token = format === 'opaque' ? newOpaqueAccessToken(jti) : await this.signAccessToken({ claims, scopes, subject, clientId, audience, jkt, jti, iat, exp: iat + lifetime });
    // The server finds a token's row by the id it carries; a JWT too large to read it from could not be revoked.
    if (accessTokenIdOf(token) !== jti) throw mintError('claims: too large for an access token');
    await this.accessTokens.insert({
      id: jti,
      tokenHash: sha256Hex(token),
      clientId,
      format,
      grantId: null,
      subject,
      scopes,
      audience,
      issuedAt: iat * 1000,
      expiresAt: (iat + lifetime) * 1000,
      revokedAt: null,
      sid: null,
      claims: null,
      act: null,
      mayAct: null,
      jkt: jkt ?? null,
    });
    return token;
  }

  private async signAccessToken(token: { claims: Record<string, unknown>; scopes: string[]; subject: string; clientId: string; audience: string; jkt?: string; jti: string; iat: number; exp: number }): Promise<string> {
    const key = await this.keys.currentSigningKey();
    // The claims in the order the server's own tokens have them (TokenService), the extra ones after `client_id`.
    const payload: Record<string, unknown> = { client_id: token.clientId, ...token.claims };
    if (token.scopes.length > 0) payload.scope = formatScope(token.scopes);
    if (token.jkt) payload.cnf = { jkt: token.jkt };
    Object.assign(payload, { iss: this.options.issuer, sub: token.subject, aud: token.audience, jti: token.jti, iat: token.iat, exp: token.exp });
    return signCompactJws(key, { alg: key.alg, kid: key.kid, typ: 'at+jwt' }, payload);
  }
}
