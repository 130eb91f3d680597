import type { ClientEntity } from '../../persistence/entities/client.entity.js';

/** The columns of a client that only dynamic registration (RFC 7591, RFC 7592) sets. */
export type RegistrationColumns = Pick<ClientEntity, 'registeredAt' | 'registrationTokenHash' | 'registrationTokenExpiresAt' | 'registrationMetadata'>;

/**
 * A client configured in code or options (`ClientService.upsert`): not registered, so never reachable through the
 * client configuration endpoint. A seed with the id of a registered client takes it over this way, and its
 * registration access token stops working.
 */
export const NOT_REGISTERED: Readonly<RegistrationColumns> = {
  registeredAt: null,
  registrationTokenHash: null,
  registrationTokenExpiresAt: null,
  registrationMetadata: null,
};
