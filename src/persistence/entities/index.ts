import { AccessTokenEntity } from './access-token.entity.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { AuthorizationCodeEntity } from './authorization-code.entity.js';
import { ClientEntity } from './client.entity.js';
import { ClientEntryEntity } from './client-entry.entity.js';
import { ConsentEntity } from './consent.entity.js';
import { DeviceCodeEntity } from './device-code.entity.js';
import { InteractionEntity } from './interaction.entity.js';
import { NonceEntity } from './nonce.entity.js';
import { PushedRequestEntity } from './pushed-request.entity.js';
import { RateLimitEntity } from './rate-limit.entity.js';
import { RefreshTokenEntity } from './refresh-token.entity.js';
import { SessionClientEntity } from './session-client.entity.js';
import { SessionEntity } from './session.entity.js';
import { SigningKeyEntity } from './signing-key.entity.js';

export {
  AccessTokenEntity,
  AuditEventEntity,
  AuthorizationCodeEntity,
  ClientEntity,
  ClientEntryEntity,
  ConsentEntity,
  DeviceCodeEntity,
  InteractionEntity,
  NonceEntity,
  PushedRequestEntity,
  RateLimitEntity,
  RefreshTokenEntity,
  SessionClientEntity,
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
  SessionClientEntity,
  NonceEntity,
  ClientEntryEntity,
  DeviceCodeEntity,
  PushedRequestEntity,
  AuditEventEntity,
];
