import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { InvalidTokenError } from '../../errors/bearer-errors.js';
import { Clock } from '../../internal/clock.js';
import type { AccessTokenFormat } from '../../options/auth-options.interface.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import type { AccessTokenEntity } from '../../persistence/entities/access-token.entity.js';
import { AccessTokenStore } from '../../persistence/stores/access-token.store.js';
import { AccessTokenVerifier } from '../../tokens/access-token-verifier.service.js';
import { opaqueAccessTokenClaims } from '../../tokens/opaque-token-claims.js';
import { storedActorClaim } from '../../tokens/stored-actor-claim.js';
import type { ExchangedToken, MayActClaim } from './token-exchange-policy.js';
import { TOKEN_TYPES, type ExchangeTokenType } from './token-types.js';

/** Why a presented token is not accepted (logged, never sent). */
export type ExchangedTokenProblem = 'unknown' | 'not_a_jwt' | 'revoked' | 'expired' | 'signature_or_claims';

/** Where a verified token came from: what an exchanged token inherits so that revoking the origin revokes it too. */
export interface ExchangedTokenOrigin {
  /** The grant (authorization code / refresh family) of the token, if any. */
  grantId: string | null;
  /** The login session of the grant, if any. */
  sid: string | null;
}

/** A verified token, or why not. */
export type ExchangedTokenCheck = { token: ExchangedToken; origin: ExchangedTokenOrigin } | { problem: ExchangedTokenProblem };

const seconds = (ms: number): number => Math.floor(ms / 1000);

/**
 * Verifies the subject and actor tokens of a token exchange as introspection does (RFC 7662): an access token this
 * server issued, found by the SHA-256 of the token, not revoked, not expired, of any audience; a JWT must also
 * verify (signature with a published key, `typ`, `iss`, the audience it was issued for, `exp`) and be the row's
 * `jti`. The `jwt` token type takes only JWT access tokens. The stored row is the source of `act` and `may_act`.
 */
@Injectable()
export class ExchangedTokenVerifier {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly accessTokens: AccessTokenStore,
    private readonly verifier: AccessTokenVerifier,
    private readonly clock: Clock,
  ) {}

  async verify(token: string, type: ExchangeTokenType): Promise<ExchangedTokenCheck> {
    const isJwt = token.split('.').length === 3;
    if (type === TOKEN_TYPES.jwt && !isJwt) return { problem: 'not_a_jwt' };
    const row = await this.accessTokens.findByToken(token);
    if (!row) return { problem: 'unknown' };
    if (row.revokedAt !== null) return { problem: 'revoked' };
    if (row.expiresAt <= this.clock.now()) return { problem: 'expired' };
    if (type === TOKEN_TYPES.jwt && row.format !== 'jwt') return { problem: 'not_a_jwt' };
    let claims: Readonly<Record<string, unknown>>;
    if (row.format === 'jwt') {
      // A token that does not verify is refused; a failure to check (the key store unreachable) is not the client's.
      const verified = await this.verifier.verifyJwtFor(token, row.audience).catch((error: unknown) => {
        if (error instanceof InvalidTokenError) return undefined;
        throw error;
      });
      if (!verified || verified.jti !== row.id) return { problem: 'signature_or_claims' };
      claims = verified.claims;
    } else {
      claims = this.opaqueClaims(row);
    }
    return { token: this.describe(row, type, claims), origin: { grantId: row.grantId, sid: row.sid } };
  }

  private describe(row: AccessTokenEntity, tokenType: ExchangeTokenType, claims: Readonly<Record<string, unknown>>): ExchangedToken {
    const described: ExchangedToken = {
      tokenType,
      format: row.format as AccessTokenFormat,
      jti: row.id,
      sub: row.subject,
      clientId: row.clientId,
      scopes: [...row.scopes],
      aud: [row.audience],
      exp: seconds(row.expiresAt),
      claims,
    };
    const act = storedActorClaim(row.act);
    if (act) described.act = act;
    const mayAct: MayActClaim | undefined = storedActorClaim(row.mayAct);
    if (mayAct) described.mayAct = mayAct;
    if (row.jkt) described.jkt = row.jkt;
    return described;
  }

  /** The opaque token's claims as its JWT would carry them, and its `may_act` (RFC 8693 section 4.4). */
  private opaqueClaims(row: AccessTokenEntity): Record<string, unknown> {
    const claims = opaqueAccessTokenClaims(row, this.options.issuer);
    const mayAct = storedActorClaim(row.mayAct);
    if (mayAct) claims.may_act = mayAct;
    return claims;
  }
}
