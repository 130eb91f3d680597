import { Inject, Injectable, type Provider } from '@nestjs/common';
import { createHash, hkdfSync } from 'node:crypto';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { tryParseUrl } from '../../internal/url-rules.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import { ENCRYPTION_SECRET } from '../../tokens/encryption-secret.provider.js';

/** DI token of the pairwise salt: `oidc.pairwiseSalt`, or HKDF-SHA-256 of the encryption secret for this purpose. */
export const PAIRWISE_SALT = Symbol('authnest:pairwise-salt');

export const pairwiseSaltProvider: Provider = {
  provide: PAIRWISE_SALT,
  inject: [AUTH_OPTIONS, ENCRYPTION_SECRET],
  useFactory: (options: ResolvedAuthOptions, secret: string): string =>
    options.oidc.pairwiseSalt ?? Buffer.from(hkdfSync('sha256', secret, 'authnest', 'authnest pairwise subject v1', 32)).toString('base64url'),
};

/** The client facts a subject identifier depends on. */
export type SubjectClient = Pick<ClientEntity, 'clientId' | 'subjectType' | 'sectorIdentifier' | 'redirectUris'>;

/**
 * Subject identifiers (OpenID Connect Core section 8): the account id for `public` clients; for `pairwise` ones
 * base64url(SHA-256(sector || account id || salt)) (section 8.1), the sector being the client's
 * `sectorIdentifier` or the host of its redirect URIs, so clients of one sector see one `sub` and others cannot
 * correlate it.
 */
@Injectable()
export class SubjectIdentifiers {
  constructor(@Inject(PAIRWISE_SALT) private readonly salt: string) {}

  subjectFor(accountId: string, client: SubjectClient): string {
    if (client.subjectType !== 'pairwise') return accountId;
    return createHash('sha256').update(`${sectorOf(client)}\u0000${accountId}\u0000${this.salt}`, 'utf8').digest('base64url');
  }
}

/** The sector of a pairwise client (options validation makes sure it has one). */
function sectorOf(client: SubjectClient): string {
  if (client.sectorIdentifier) return client.sectorIdentifier;
  const first = client.redirectUris[0];
  return (first && tryParseUrl(first)?.host) || client.clientId;
}
