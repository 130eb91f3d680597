import { Injectable } from '@nestjs/common';
import { unavailableOnFailure } from '../../errors/unavailable-on-failure.js';
import { AUTH_EVENTS } from '../../events/auth-event-map.js';
import { AuthEvents } from '../../events/auth-events.service.js';
import { Clock } from '../../internal/clock.js';
import { AccessTokenStore } from '../../persistence/stores/access-token.store.js';
import { AccessTokenVerifier } from '../../tokens/access-token-verifier.service.js';
import { GrantRevocationService } from '../grants/grant-revocation.service.js';
import { ClientAuthenticator } from '../rfc6749/client-authenticator.service.js';
import { readFormParameters, type ProtocolRequest } from '../rfc6749/token-request.js';
import { IssuedTokenLookup, presentedToken } from './issued-token-lookup.service.js';
import { AuthLogger } from '../../internal/auth-logger.js';

/**
 * Token revocation (RFC 7009 section 2). The client authenticates as at the token endpoint (public clients with
 * their `client_id`) and may revoke only its own tokens: an unknown token or another client's is answered 200
 * and changes nothing (section 2.2; no probing for other clients' tokens). A refresh token revokes its whole
 * family and every access token issued from the grant; an access token revokes that token: introspection and
 * the local guard (opaque tokens) refuse it at once, while a JWT stays valid at resource servers that verify it
 * locally until its `exp`. A storage failure is 503 `temporarily_unavailable`, never a 200 that revoked nothing
 * (FL4, CVE-2020-15223).
 */
@Injectable()
export class RevocationEndpoint {
  private readonly logger = new AuthLogger();

  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly lookup: IssuedTokenLookup,
    private readonly grants: GrantRevocationService,
    private readonly accessTokens: AccessTokenStore,
    private readonly verifier: AccessTokenVerifier,
    private readonly clock: Clock,
    private readonly events: AuthEvents,
  ) {}

  handle(request: ProtocolRequest): Promise<void> {
    return unavailableOnFailure(this.logger, 'Token revocation', () => this.revoke(request));
  }

  private async revoke(request: ProtocolRequest): Promise<void> {
    const params = readFormParameters(request);
    const { client } = await this.authenticator.authenticate(request, params);
    const { token, hint } = presentedToken(params);
    const found = await this.lookup.find(token, hint);
    if (!found) return;
    if (found.row.clientId !== client.clientId) {
      this.logger.warn('Revocation of another client\'s token ignored');
      return;
    }
    if (found.kind === 'refresh_token') {
      await this.grants.revokeGrant(found.row.grantId, 'revocation_request', { clientId: client.clientId, subject: found.row.accountId });
      return;
    }
    const revoked = await this.accessTokens.revoke(found.row.id, this.clock.now());
    this.verifier.forget(token);
    if (revoked) {
      const { id: tokenId, subject } = found.row;
      // A client's own token (client_credentials) has the client id as subject: no resource owner to report.
      this.events.emit(AUTH_EVENTS.tokenRevoked, {
        clientId: client.clientId,
        ...(subject === client.clientId ? {} : { subject }),
        tokenType: 'access_token',
        tokenId,
        reason: 'revocation-endpoint',
      });
    }
  }
}
