import { Injectable } from '@nestjs/common';
import { Clock } from '../../internal/clock.js';
import { ConsentStore } from '../../persistence/stores/consent.store.js';
import type { PromptValue } from '../authorize/authorization-request.js';

/** The client facts consent depends on. */
export interface ConsentClient {
  clientId: string;
  firstParty: boolean;
}

/**
 * When the user must be asked (RFC 6749 section 10.2, OpenID Connect Core section 3.1.2.4): always with
 * `prompt=consent`; never for first-party clients otherwise; else unless a remembered consent of this account for
 * this client covers every requested scope.
 */
@Injectable()
export class ConsentPolicy {
  constructor(
    private readonly consents: ConsentStore,
    private readonly clock: Clock,
  ) {}

  /** `claims`: names asked for one by one (OpenID Connect `claims` parameter), approved like scopes. */
  async required(
    accountId: string,
    client: ConsentClient,
    scopes: readonly string[],
    prompt: readonly PromptValue[],
    claims: readonly string[] = [],
  ): Promise<boolean> {
    if (prompt.includes('consent')) return true;
    if (client.firstParty) return false;
    const remembered = await this.consents.find(accountId, client.clientId);
    if (!remembered) return true;
    return scopes.some((scope) => !remembered.scopes.includes(scope)) || claims.some((claim) => !remembered.claims.includes(claim));
  }

  /** Remembers an approval (added to what the account approved for the client before). */
  remember(accountId: string, clientId: string, scopes: readonly string[], claims: readonly string[] = []): Promise<void> {
    return this.consents.remember(accountId, clientId, scopes, claims, this.clock.now());
  }
}
