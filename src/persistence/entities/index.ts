import { AccessTokenEntity } from './access-token.entity.js';
import { AuthorizationCodeEntity } from './authorization-code.entity.js';
import { ClientEntity } from './client.entity.js';
import { ConsentEntity } from './consent.entity.js';
import { InteractionEntity } from './interaction.entity.js';
import { RateLimitEntity } from './rate-limit.entity.js';
import { RefreshTokenEntity } from './refresh-token.entity.js';
import { SessionEntity } from './session.entity.js';
import { SigningKeyEntity } from './signing-key.entity.js';

export {
  AccessTokenEntity,
  AuthorizationCodeEntity,
  ClientEntity,
  ConsentEntity,
  InteractionEntity,
  RateLimitEntity,
  RefreshTokenEntity,
  SessionEntity,
  SigningKeyEntity,
};

/** Every entity authnest stores; add them to a host-owned DataSource. */
export const authnestEntities = [
  ClientEntity,
  AccessTokenEntity,
  SigningKeyEntity,
  AuthorizationCodeEntity,
  RefreshTokenEntity,
  SessionEntity,
  ConsentEntity,
  InteractionEntity,
  RateLimitEntity,
];
