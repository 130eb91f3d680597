import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { InvalidTokenError, MissingTokenError } from '../../errors/bearer-errors.js';
import { TemporarilyUnavailableError } from '../../errors/oauth-errors.js';
import { Clock } from '../../internal/clock.js';
import { sha256Hex } from '../../internal/sha256.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import { ClientRegistrationStore } from '../../persistence/stores/client-registration.store.js';
import { RateLimitStore } from '../../persistence/stores/rate-limit.store.js';
import { authorizationHeader, extractBearerToken } from '../../resource/bearer-token.js';
import { clientAddress, type BrowserRequest } from '../interaction/http/browser-request.js';
import { ClientAuthenticator } from '../rfc6749/client-authenticator.service.js';
import type { ProtocolRequest } from '../rfc6749/token-request.js';
import { AuthLogger } from '../../internal/auth-logger.js';

/** A registered client and the hash of the registration access token that proved the caller may manage it. */
export interface ManagedClient {
  client: ClientEntity;
  /** The token as presented (echoed in a read, RFC 7592 section 2.1) and its hash. */
  token: string;
  tokenHash: string;
}

/**
 * Who may call the registration endpoints. Both tokens travel as `Authorization: Bearer` only (RFC 6750 section
 * 2.1; a token in the body or query is not looked at): none is 401 with a bare challenge, a wrong one 401
 * `invalid_token` (RFC 6750 section 3.1). Initial access tokens are compared by SHA-256 in constant time against
 * every configured one; registration access tokens are found by their SHA-256 (RFC 7592 section 3).
 */
@Injectable()
export class RegistrationAccess {
  private readonly logger = new AuthLogger();

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly store: ClientRegistrationStore,
    private readonly limits: RateLimitStore,
    private readonly clock: Clock,
    private readonly authenticator: ClientAuthenticator,
  ) {}

  /** Counts a registration request for its address (whatever its outcome); over the limit: 429. */
  async countRegistration(request: ProtocolRequest): Promise<void> {
    const { max, window } = this.options.registration.rateLimit;
    const count = await this.limits.hit(`register:addr:${sha256Hex(clientAddress(request as BrowserRequest))}`, this.clock.now(), window * 1000);
    if (count > max) {
      throw new TemporarilyUnavailableError('Too many registration requests from this address', { status: 429, headers: { 'Retry-After': String(window) } });
    }
  }

  /** In `initial-access-token` mode, the request must carry one of the configured tokens (RFC 7591 section 3). */
  checkInitialAccessToken(request: ProtocolRequest): void {
    const { mode, initialAccessTokenHashes } = this.options.registration;
    if (mode !== 'initial-access-token') return;
    const token = this.bearerToken(request);
    const presented = Buffer.from(sha256Hex(token), 'hex');
    // Every configured token is compared, so the time taken does not tell which (or whether one) matched.
    const matches = initialAccessTokenHashes.filter((hash) => timingSafeEqual(Buffer.from(hash, 'hex'), presented));
    if (matches.length === 0) {
      this.logger.warn('Client registration refused: wrong initial access token');
      throw new InvalidTokenError(this.realm, 'The initial access token is invalid');
    }
  }

  /**
   * The registered client `clientId` whose current registration access token the request carries (RFC 7592 section
   * 2). A valid token of another client (or for a client that is gone) is revoked, and the answer is the same 401.
   */
  async managedClient(request: ProtocolRequest, clientId: string): Promise<ManagedClient> {
    const token = this.bearerToken(request, clientId);
    const tokenHash = sha256Hex(token);
    const client = await this.store.findByTokenHash(tokenHash);
    if (!client) throw this.refused(request, clientId, 'invalid_token');
    if (client.clientId !== clientId) {
      await this.store.revokeToken(client.clientId, tokenHash);
      this.logger.warn("A client's registration access token was used for another client's configuration URL: the token is revoked");
      throw this.refused(request, clientId, 'wrong_client');
    }
    if (client.registrationTokenExpiresAt !== null && client.registrationTokenExpiresAt <= this.clock.now()) throw this.refused(request, clientId, 'expired_token');
    // A disabled client cannot manage its registration either (it would re-enable nothing, but could read or change it).
    if (client.disabled) throw this.refused(request, clientId, 'disabled');
    return { client, token, tokenHash };
  }

  private get realm(): string {
    return this.options.resource.realm;
  }

  /** The 401 for a registration access token that does not open `clientId`'s configuration, reported as a failed client authentication. */
  private refused(request: ProtocolRequest, clientId: string, reason: string): InvalidTokenError {
    this.authenticator.reportFailure(request, 'registration_access_token', reason, clientId);
    return new InvalidTokenError(this.realm, 'The registration access token is invalid');
  }

  /** The request's bearer token; with `managing` (a client id), a missing one is reported as a failed client authentication. */
  private bearerToken(request: ProtocolRequest, managing?: string): string {
    const token = extractBearerToken(authorizationHeader(request), this.realm);
    if (token === undefined) {
      if (managing !== undefined) this.authenticator.reportFailure(request, 'registration_access_token', 'missing_credentials', managing);
      throw new MissingTokenError(this.realm);
    }
    return token;
  }
}
