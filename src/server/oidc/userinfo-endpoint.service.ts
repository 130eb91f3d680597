import { Inject, Injectable, Optional } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { InsufficientScopeError, InvalidTokenError, MalformedBearerRequestError, MissingTokenError } from '../../errors/bearer-errors.js';
import { Clock } from '../../internal/clock.js';
import { sha256Hex } from '../../internal/sha256.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { AccessTokenStore } from '../../persistence/stores/access-token.store.js';
import { ClientStore } from '../../persistence/stores/client.store.js';
import { authorizationHeader, extractBearerToken } from '../../resource/bearer-token.js';
import { AccessTokenVerifier } from '../../tokens/access-token-verifier.service.js';
import { ACCOUNT_SERVICE, type AccountService } from '../accounts/account.service.js';
import { findActiveAccount } from '../accounts/active-account.js';
import { isFormEncoded, readFormParameters, type ProtocolRequest } from '../rfc6749/token-request.js';
import { deserializeRequestedClaims } from './claims-request.js';
import { SubjectIdentifiers } from './subject-identifier.service.js';
import { UserClaims } from './user-claims.service.js';

const MAX_TOKEN_LENGTH = 8192;

/**
 * The UserInfo endpoint (OpenID Connect Core section 5.3), GET and POST. The access token comes as a bearer token
 * in the Authorization header, or (POST only) as the form parameter `access_token` (RFC 6750 section 2.2), never
 * both and never in the query. It must be one this server issued, unexpired and unrevoked (checked in the database
 * even for JWTs), for an active account and an enabled client, with the `openid` scope (else 403
 * `insufficient_scope`). The answer is `sub` (as in the ID token: public or pairwise) and exactly the claims the
 * token's scopes and its `claims` request allow.
 */
@Injectable()
export class UserInfoEndpoint {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly verifier: AccessTokenVerifier,
    private readonly accessTokens: AccessTokenStore,
    private readonly clients: ClientStore,
    private readonly subjects: SubjectIdentifiers,
    private readonly claims: UserClaims,
    private readonly clock: Clock,
    @Optional() @Inject(ACCOUNT_SERVICE) private readonly accounts?: AccountService,
  ) {}

  async handle(request: ProtocolRequest, method: 'GET' | 'POST'): Promise<Record<string, unknown>> {
    const realm = this.options.resource.realm;
    const token = this.presentedToken(request, method);
    const row = token.length > MAX_TOKEN_LENGTH ? null : await this.accessTokens.findByHash(sha256Hex(token));
    if (!row || row.revokedAt !== null || row.expiresAt <= this.clock.now()) throw new InvalidTokenError(realm);
    if (row.format === 'jwt') {
      const verified = await this.verifier.verifyJwtFor(token, row.audience).catch(() => undefined);
      if (!verified || verified.jti !== row.id) throw new InvalidTokenError(realm);
    }
    if (!row.scopes.includes('openid')) throw new InsufficientScopeError(realm, 'openid');
    const client = await this.clients.findById(row.clientId);
    const account = client && !client.disabled ? await findActiveAccount(this.accounts, row.subject) : undefined;
    if (!client || !account) throw new InvalidTokenError(realm);
    const released = await this.claims.forUserInfo({ account, clientId: client.clientId, scopes: row.scopes, requested: deserializeRequestedClaims(row.claims) });
    return { sub: this.subjects.subjectFor(account.id, client), ...released };
  }

  /** The bearer token of the header or (POST) of the form body; both at once is `invalid_request` (RFC 6750 section 2). */
  private presentedToken(request: ProtocolRequest, method: 'GET' | 'POST'): string {
    const realm = this.options.resource.realm;
    const fromHeader = extractBearerToken(authorizationHeader(request), realm);
    let fromBody: string | undefined;
    if (method === 'POST' && isFormEncoded(request)) {
      try {
        fromBody = readFormParameters(request).access_token;
      } catch {
        throw new MalformedBearerRequestError(realm, 'The request body is malformed');
      }
    }
    if (fromHeader !== undefined && fromBody !== undefined) throw new MalformedBearerRequestError(realm, 'Send the access token once');
    const token = fromHeader ?? fromBody;
    if (token === undefined) throw new MissingTokenError(realm);
    return token;
  }
}
