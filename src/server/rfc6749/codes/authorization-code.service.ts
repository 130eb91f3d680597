import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../../auth.tokens.js';
import { Clock } from '../../../internal/clock.js';
import { randomToken } from '../../../internal/random.js';
import { sha256Hex } from '../../../internal/sha256.js';
import type { ResolvedAuthOptions } from '../../../options/resolved-options.js';
import { AuthorizationCodeStore } from '../../../persistence/stores/authorization-code.store.js';
import type { Authentication } from '../../accounts/authentication.js';
import { serializeRequestedClaims, type RequestedClaims } from '../../oidc/claims-request.js';
import type { CodeChallengeMethod } from '../../rfc7636/pkce.js';

/** What an authorization code is bound to (RFC 6749 section 4.1.2, RFC 7636 section 4.4). */
export interface AuthorizationCodeGrant extends Authentication {
  clientId: string;
  /** The redirect URI the code is delivered to. */
  redirectUri: string;
  /** Whether the authorization request named it (then the token request must repeat it, section 4.1.3). */
  redirectUriSent: boolean;
  scopes: readonly string[];
  codeChallenge?: string;
  codeChallengeMethod?: CodeChallengeMethod;
  nonce?: string;
  /** Claims the `claims` parameter asked for. */
  claims?: RequestedClaims;
  /** RFC 8707: the resources the authorization request named. */
  resources?: readonly string[];
  /** RFC 9449 section 10: the `dpop_jkt` of the request; redeeming the code then needs a proof of that key. */
  dpopJkt?: string;
}

/**
 * Issues authorization codes: 256 random bits, stored only as a SHA-256 hash with everything the code is
 * bound to, valid for `authorization.codeTtl` seconds and redeemable once.
 */
@Injectable()
export class AuthorizationCodeService {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly codes: AuthorizationCodeStore,
    private readonly clock: Clock,
  ) {}

  async issue(grant: AuthorizationCodeGrant): Promise<string> {
    const code = randomToken(32);
    const now = this.clock.now();
    await this.codes.insert({
      id: randomToken(16),
      codeHash: sha256Hex(code),
      clientId: grant.clientId,
      accountId: grant.accountId,
      redirectUri: grant.redirectUri,
      redirectUriSent: grant.redirectUriSent,
      scopes: [...grant.scopes],
      codeChallenge: grant.codeChallenge ?? null,
      codeChallengeMethod: grant.codeChallengeMethod ?? null,
      nonce: grant.nonce ?? null,
      authTime: grant.authTime,
      sid: grant.sid ?? null,
      acr: grant.acr ?? null,
      amr: [...(grant.amr ?? [])],
      claims: serializeRequestedClaims(grant.claims),
      resources: [...(grant.resources ?? [])],
      dpopJkt: grant.dpopJkt ?? null,
      createdAt: now,
      expiresAt: now + this.options.authorization.codeTtl * 1000,
      consumedAt: null,
    });
    return code;
  }
}
