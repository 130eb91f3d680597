import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { Clock } from '../../internal/clock.js';
import { sha256Hex } from '../../internal/sha256.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { NonceStore } from '../../persistence/stores/nonce.store.js';

/**
 * Refuses a nonce a client already used (OpenID Connect Core section 15.5.2; Authlib answers the same), for as long
 * as an ID token that echoes it can be valid: the code's lifetime (the ID token is minted when the code is redeemed)
 * plus `oidc.idTokenTtl`. Only SHA-256 of client id and nonce is stored.
 */
@Injectable()
export class NonceRegistry {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly store: NonceStore,
    private readonly clock: Clock,
  ) {}

  /** True when the client used this nonce within the window (checked before any page is shown). */
  wasUsed(clientId: string, nonce: string): Promise<boolean> {
    return this.store.seen(keyOf(clientId, nonce), this.clock.now());
  }

  /** Records the nonce when a code is issued with it; false when another request recorded it first. */
  use(clientId: string, nonce: string): Promise<boolean> {
    const now = this.clock.now();
    const window = this.options.authorization.codeTtl + this.options.oidc.idTokenTtl;
    return this.store.remember(keyOf(clientId, nonce), now, now + window * 1000);
  }
}

function keyOf(clientId: string, nonce: string): string {
  return sha256Hex(`${clientId}\u0000${nonce}`);
}
