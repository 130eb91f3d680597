import type { ClientEntity } from '../../persistence/entities/client.entity.js';

/** A client that can keep a credential: a secret, or keys for `private_key_jwt` (RFC 6749 section 2.1). */
export function isConfidentialClient(client: Pick<ClientEntity, 'secretHash' | 'jwks' | 'jwksUri'>): boolean {
  return client.secretHash !== null || client.jwks !== null || client.jwksUri !== null;
}
