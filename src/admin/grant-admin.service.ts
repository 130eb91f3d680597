import { Inject, Injectable } from '@nestjs/common';
import { AuthLogger } from '../internal/auth-logger.js';
import { AUTH_OPTIONS } from '../auth.tokens.js';
import { AuthEvents } from '../events/auth-events.service.js';
import { Clock } from '../internal/clock.js';
import type { ResolvedAuthOptions } from '../options/resolved-options.js';
import { OwnerGrantsStore, type GrantOwner } from '../persistence/stores/owner-grants.store.js';
import { AccessTokenVerifier } from '../tokens/access-token-verifier.service.js';
import { TokenPurgeService } from '../tokens/token-purge.service.js';
import { AuthAdminError } from './auth-admin.error.js';
import type { AdminOperationOptions, RevokedGrants } from './auth-admin.types.js';

/** Subjects and client ids are stored in 255-character columns. */
const MAX_OWNER_LENGTH = 255;

/** The grant half of `AuthAdminService`: revoke everything of a user or a client, purge expired rows. */
@Injectable()
export class GrantAdmin {
  private readonly logger = new AuthLogger();

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly store: OwnerGrantsStore,
    private readonly verifier: AccessTokenVerifier,
    private readonly purge: TokenPurgeService,
    private readonly events: AuthEvents,
    private readonly clock: Clock,
  ) {}

  /**
   * Revokes every live access and refresh token of the user (`subject`) or client (`clientId`), spends their
   * unredeemed authorization and device codes, and forgets their remembered consents. This instance stops accepting
   * the tokens at once; other instances too with the `redis` option, else once their verified-token cache entries
   * expire (`resource.jwtCacheTtl`, `resource.opaqueCacheTtl`). Resource servers that verify JWTs locally accept them
   * until their `exp`; introspection reports them inactive at once.
   */
  async revoke(owner: GrantOwner, { source = 'admin-service' }: AdminOperationOptions = {}): Promise<RevokedGrants> {
    const checked = checkedOwner(owner);
    const now = this.clock.now();
    const swept = await this.store.revokeAll(checked, now);
    const ids = this.options.redis && swept.accessTokens > 0 ? await this.store.accessTokensRevokedAt(checked, now) : [];
    this.verifier.forgetMatching('clientId' in checked ? (info) => info.clientId === checked.clientId : (info) => info.sub === checked.subject, ids);
    const count = swept.accessTokens + swept.refreshTokens;
    this.logger.log(`Grants revoked by an administrator: ${swept.refreshTokens} refresh and ${swept.accessTokens} access tokens, ${swept.codes} codes, ${swept.consents} consents`);
    this.events.emit('authnest.grants.revoked', { ...checked, source, count });
    return { owner: checked, ...swept };
  }

  /** Deletes the rows past their expiry (as `purgeInterval` does); resolves how many went. */
  purgeExpired(): Promise<number> {
    return this.purge.purgeExpired();
  }
}

function checkedOwner(owner: GrantOwner): GrantOwner {
  const candidate = (owner ?? {}) as { subject?: unknown; clientId?: unknown };
  const given = [candidate.subject, candidate.clientId].filter((value) => value !== undefined);
  const value = given[0];
  if (given.length !== 1 || typeof value !== 'string' || value === '' || value.length > MAX_OWNER_LENGTH || value.includes('\u0000')) {
    throw new AuthAdminError('invalid', 'name exactly one owner: { subject } (a user) or { clientId } (a client), a non-empty string');
  }
  return candidate.subject !== undefined ? { subject: value } : { clientId: value };
}
