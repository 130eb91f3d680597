import { Inject, Injectable } from '@nestjs/common';
import { jwtVerify, type JWTPayload } from 'jose';
import { InvalidTokenError } from '../errors/bearer-errors.js';
import { TemporarilyUnavailableError } from '../errors/oauth-errors.js';
import { Clock } from '../internal/clock.js';
import type { BearerTokenVerifier } from '../resource/bearer-token-verifier.js';
import type { AccessTokenInfo } from '../tokens/access-token-info.js';
import { jwtAccessTokenInfo, jwtAccessTokenVerifyOptions, jwtFailureDescription } from '../tokens/jwt-access-token-claims.js';
import { AUTH_RESOURCE_OPTIONS } from './auth-resource.module-definition.js';
import { IntrospectionClient } from './introspection-client.service.js';
import { UpstreamError } from '../internal/outbound-http.js';
import { RemoteJwksService } from './remote-jwks.service.js';
import type { ResolvedAuthResourceOptions } from './resolve-auth-resource-options.js';

/**
 * The `BearerTokenVerifier` of a standalone resource server. JWTs are checked exactly as `AuthModule`'s local
 * verifier checks them (signature with an allowed algorithm and a key of the issuer's JWKS, `typ` `at+jwt`,
 * `iss`, `aud`, `exp`/`iat`/`nbf` with `leeway`, every RFC 9068 claim, numeric dates, scope syntax); other
 * tokens go to introspection. When the issuer cannot be asked, the answer is 503 `temporarily_unavailable`
 * without a `WWW-Authenticate` challenge (RFC 6750 has no code for it, and a 401 would tell the client to
 * throw away a token that may be valid); never a pass.
 */
@Injectable()
export class RemoteAccessTokenVerifier implements BearerTokenVerifier {
  constructor(
    @Inject(AUTH_RESOURCE_OPTIONS) private readonly options: ResolvedAuthResourceOptions,
    private readonly jwks: RemoteJwksService,
    private readonly introspection: IntrospectionClient,
    private readonly clock: Clock,
  ) {}

  /** Resolves the verified token; throws `InvalidTokenError` (401) or `TemporarilyUnavailableError` (503). */
  async verify(token: string): Promise<AccessTokenInfo> {
    try {
      return token.split('.').length === 3 ? await this.verifyJwt(token) : await this.introspection.verify(token);
    } catch (error) {
      if (error instanceof UpstreamError) {
        throw new TemporarilyUnavailableError('The access token cannot be verified right now; retry later');
      }
      throw error;
    }
  }

  private invalid(description?: string): InvalidTokenError {
    return new InvalidTokenError(this.options.realm, description);
  }

  private async verifyJwt(token: string): Promise<AccessTokenInfo> {
    let payload: JWTPayload;
    try {
      const { algorithms, issuer, audience, leeway } = this.options;
      const expected = jwtAccessTokenVerifyOptions({ algorithms, issuer, audience, leeway, now: this.clock.now() });
      ({ payload } = await jwtVerify(token, this.jwks.getKey, expected));
    } catch (error) {
      if (error instanceof UpstreamError) throw error;
      throw this.invalid(jwtFailureDescription(error));
    }
    const info = jwtAccessTokenInfo(payload);
    if (!info) throw this.invalid();
    return info;
  }
}
