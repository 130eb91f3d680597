import { Inject, Injectable } from '@nestjs/common';
import type { JWTPayload } from 'jose';
import { Clock } from '../../internal/clock.js';
import { OAuthClientError } from '../oauth-client.error.js';
import { OAUTH_CLIENT_OPTIONS, OAuthClients } from '../oauth-clients.service.js';
import { ProviderJwks } from '../provider-jwks.js';
import type { ResolvedOAuthClientOptions, ResolvedProvider } from '../resolve-oauth-client-options.js';
import { checkIdToken } from './id-token-check.js';
import type { OAuthSession } from './login-state.js';

/** Seconds of clock skew tolerated between this app and its providers. */
const LEEWAY = 30;

/**
 * Validates providers' ID tokens against their JWKS (one `ProviderJwks` per provider, kept across logins and
 * refreshes): the login's (`atLogin`, OpenID Connect Core section 3.1.3.7) and a refresh's (`afterRefresh`,
 * section 12.2: the same `iss`, `sub`, `aud` and `auth_time` as the session's, `nonce` absent or the login's).
 */
@Injectable()
export class IdTokens {
  private readonly jwks = new Map<string, ProviderJwks>();

  constructor(
    @Inject(OAUTH_CLIENT_OPTIONS) private readonly options: ResolvedOAuthClientOptions,
    private readonly clients: OAuthClients,
    private readonly clock: Clock,
  ) {}

  /** The ID token of a code exchange, for the login's `nonce`. */
  atLogin(provider: ResolvedProvider, idToken: string, nonce: string): Promise<JWTPayload> {
    return this.check(provider, idToken, nonce, false);
  }

  /** An ID token a refresh returned: valid, and naming the same user and authentication as the session's. */
  async afterRefresh(provider: ResolvedProvider, idToken: string, session: OAuthSession): Promise<JWTPayload> {
    const nonce = typeof session.claims.nonce === 'string' ? session.claims.nonce : '';
    const payload = await this.check(provider, idToken, nonce, true);
    const sameAuthTime = payload.auth_time === undefined || session.claims.auth_time === undefined || payload.auth_time === session.claims.auth_time;
    if (payload.sub !== session.sub || !sameAuthTime) {
      throw new OAuthClientError(provider.name, 'invalid_id_token', 'The refreshed ID token names another user or authentication than the session');
    }
    return payload;
  }

  private check(provider: ResolvedProvider, idToken: string, nonce: string, nonceOptional: boolean): Promise<JWTPayload> {
    return checkIdToken(idToken, this.jwksOf(provider), {
      provider: provider.name,
      issuer: provider.issuer!,
      clientId: provider.clientId,
      nonce,
      nonceOptional,
      now: this.clock.now(),
      leeway: LEEWAY,
    });
  }

  private jwksOf(provider: ResolvedProvider): ProviderJwks {
    let jwks = this.jwks.get(provider.name);
    if (!jwks) {
      const client = this.clients.get(provider.name);
      jwks = new ProviderJwks(provider.name, () => client.endpoint('jwks'), this.options.timeoutMs, this.clock);
      this.jwks.set(provider.name, jwks);
    }
    return jwks;
  }
}
