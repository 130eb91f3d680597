import { AccessTokenEntity } from './access-token.entity.js';
import { ClientEntity } from './client.entity.js';
import { SigningKeyEntity } from './signing-key.entity.js';

export { AccessTokenEntity, ClientEntity, SigningKeyEntity };

/** Every entity authnest stores; add them to a host-owned DataSource. */
export const authnestEntities = [ClientEntity, AccessTokenEntity, SigningKeyEntity];
