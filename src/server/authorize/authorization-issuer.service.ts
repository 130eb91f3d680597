import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { AuthConfigError } from '../../options/auth-config.error.js';
import { Clock } from '../../internal/clock.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { SessionClientStore } from '../../persistence/stores/session-client.store.js';
import { ACCOUNT_SERVICE, type AccountService } from '../accounts/account.service.js';
import { findActiveAccount } from '../accounts/active-account.js';
import type { Authentication } from '../accounts/authentication.js';
import { withClaimsLocales } from '../oidc/claims-request.js';
import { NonceRegistry } from '../oidc/nonce-registry.service.js';
import type { PageResponse } from '../interaction/http/page-response.js';
import { AuthorizationCodeService } from '../rfc6749/codes/authorization-code.service.js';
import type { AuthorizationErrorCode, AuthorizationRequest, RedirectTarget } from './authorization-request.js';
import { codeResponse, errorResponse } from './authorization-response.js';

/**
 * Ends an authorization request: issues the code bound to the request, the account and the granted scopes
 * (RFC 6749 section 4.1.2) and builds the response to the client. Refuses to boot when a seeded client may use
 * the authorization code grant but no `AccountService` is provided.
 */
@Injectable()
export class AuthorizationIssuer implements OnModuleInit {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly codes: AuthorizationCodeService,
    private readonly nonces: NonceRegistry,
    private readonly sessionClients: SessionClientStore,
    private readonly clock: Clock,
    @Optional() @Inject(ACCOUNT_SERVICE) private readonly accounts?: AccountService,
  ) {}

  onModuleInit(): void {
    if (this.accounts) return;
    const problems = this.options.clients.flatMap((client, index) =>
      client.grantTypes.includes('authorization_code')
        ? [`clients[${index}].grantTypes: 'authorization_code' needs an AccountService: provide one under ACCOUNT_SERVICE in a module AuthModule can see`]
        : [],
    );
    if (problems.length > 0) throw new AuthConfigError(problems);
  }

  /**
   * Issues a code for an active account, or answers `access_denied` when the account is gone or inactive. An
   * OpenID Connect nonce is used up here (a concurrent request with the same nonce gets `invalid_request`), and the
   * client is recorded in the login session for back-channel logout.
   */
  async issue(request: AuthorizationRequest, login: Authentication, scopes: readonly string[]): Promise<PageResponse> {
    if (!(await findActiveAccount(this.accounts, login.accountId))) return this.error(request, 'access_denied', 'The account cannot be used');
    const openId = scopes.includes('openid');
    if (openId && request.nonce !== undefined && !(await this.nonces.use(request.clientId, request.nonce))) {
      return this.error(request, 'invalid_request', 'The nonce was used before');
    }
    if (login.sid) {
      await this.sessionClients.add(login.sid, request.clientId, this.clock.now() + this.options.interaction.sessionTtl * 1000);
    }
    const { accountId, authTime, sid, acr, amr } = login;
    const code = await this.codes.issue({
      accountId,
      authTime,
      sid,
      acr,
      amr,
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      redirectUriSent: request.redirectUriSent,
      scopes,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      nonce: request.nonce,
      claims: openId ? withClaimsLocales(request.claims, request.claimsLocales) : undefined,
      resources: request.resources,
      dpopJkt: request.dpopJkt,
    });
    return codeResponse(this.options.issuer, request, code);
  }

  /** An error response to the client's validated redirect URI. */
  error(target: RedirectTarget, code: AuthorizationErrorCode, description: string): PageResponse {
    return errorResponse(this.options.issuer, target, code, description);
  }
}
