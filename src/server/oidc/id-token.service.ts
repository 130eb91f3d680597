import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { Clock } from '../../internal/clock.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import { signCompactJws } from '../../tokens/jws-signer.js';
import { KeyStoreService } from '../../tokens/key-store.service.js';
import type { Account } from '../accounts/account.service.js';
import type { RequestedClaims } from './claims-request.js';
import { SubjectIdentifiers } from './subject-identifier.service.js';
import { leftHalfHash } from './token-hash.js';
import { UserClaims } from './user-claims.service.js';

/** What an ID token states: who logged in, when and how, for which client, and the request's nonce. */
export interface IdTokenRequest {
  client: ClientEntity;
  account: Account;
  scopes: readonly string[];
  /** When the user authenticated (ms since the epoch). */
  authTime: number;
  /** The access token issued with it, for `at_hash`. */
  accessToken: string;
  /** Echoed exactly; omitted on refresh (OpenID Connect Core section 12.2). */
  nonce?: string;
  acr?: string | null;
  amr?: readonly string[];
  sid?: string | null;
  requested: RequestedClaims;
}

/**
 * Mints ID tokens (OpenID Connect Core section 2, 3.1.3.6) with the server's signing key (`kid` in the header):
 * `iss`, `sub` (public or pairwise), `aud` (the client alone, so no `azp` is needed), `exp`, `iat`, `auth_time`,
 * `nonce` when the request had one, `at_hash`, `acr` and `amr` when the login reported them, `sid` of the login
 * session, and the user claims `UserClaims` releases for the ID token.
 */
@Injectable()
export class IdTokenService {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly keys: KeyStoreService,
    private readonly subjects: SubjectIdentifiers,
    private readonly claims: UserClaims,
    private readonly clock: Clock,
  ) {}

  async issue(request: IdTokenRequest): Promise<string> {
    const { client } = request;
    const key = await this.keys.currentSigningKey();
    const iat = this.clock.nowSeconds();
    const user = await this.claims.forIdToken({ account: request.account, clientId: client.clientId, scopes: request.scopes, requested: request.requested });
    const payload: Record<string, unknown> = { ...user, auth_time: Math.floor(request.authTime / 1000), at_hash: leftHalfHash(request.accessToken, key.alg) };
    if (request.nonce !== undefined) payload.nonce = request.nonce;
    if (request.acr) payload.acr = request.acr;
    if (request.amr && request.amr.length > 0) payload.amr = [...request.amr];
    if (request.sid) payload.sid = request.sid;
    // The claims in the order jose's SignJWT wrote them: the token's own, then iss, sub, aud, iat, exp.
    payload.iss = this.options.issuer;
    payload.sub = this.subjects.subjectFor(request.account.id, client);
    payload.aud = client.clientId;
    payload.iat = iat;
    payload.exp = iat + this.options.oidc.idTokenTtl;
    return signCompactJws(key, { alg: key.alg, kid: key.kid, typ: 'JWT' }, payload);
  }
}
