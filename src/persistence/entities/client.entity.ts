import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ClientJwks } from '../../options/client-auth-options.interface.js';
import { epochMillis, jsonList, jsonObject, nullableJsonList } from '../column-transformers.js';

/**
 * A registered OAuth client. The secret exists as a scrypt hash, and sealed (AES-256-GCM) only for
 * `client_secret_jwt`, whose HMAC key it is.
 */
@Entity({ name: 'authnest_clients' })
export class ClientEntity {
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 255 })
  clientId: string;

  @Column({ name: 'secret_hash', type: 'varchar', length: 255, nullable: true })
  secretHash: string | null;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ name: 'auth_methods', type: 'text', transformer: jsonList })
  authMethods: string[];

  @Column({ name: 'grant_types', type: 'text', transformer: jsonList })
  grantTypes: string[];

  @Column({ type: 'text', transformer: jsonList })
  scopes: string[];

  @Column({ name: 'default_scopes', type: 'text', transformer: jsonList })
  defaultScopes: string[];

  @Column({ name: 'redirect_uris', type: 'text', transformer: jsonList })
  redirectUris: string[];

  @Column({ name: 'access_token_format', type: 'varchar', length: 16, nullable: true })
  accessTokenFormat: string | null;

  @Column({ type: 'varchar', length: 1024, nullable: true })
  audience: string | null;

  /** RFC 8707: the resource URIs the client may name; null: every configured resource. */
  @Column({ type: 'text', nullable: true, transformer: nullableJsonList })
  resources: string[] | null;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  /** Trusted by the server's owner: users are not asked for consent. */
  @Column({ name: 'first_party', type: 'boolean', default: false })
  firstParty: boolean;

  /** May call the introspection endpoint. */
  @Column({ name: 'allow_introspection', type: 'boolean', default: false })
  allowIntrospection: boolean;

  /** Where the end-session endpoint may redirect after logout (exact match). */
  @Column({ name: 'post_logout_redirect_uris', type: 'text', nullable: true, transformer: jsonList })
  postLogoutRedirectUris: string[];

  @Column({ name: 'backchannel_logout_uri', type: 'text', nullable: true })
  backchannelLogoutUri: string | null;

  /** `public` or `pairwise` (OpenID Connect Core section 8). */
  @Column({ name: 'subject_type', type: 'varchar', length: 16, default: 'public' })
  subjectType: string;

  @Column({ name: 'sector_identifier', type: 'varchar', length: 255, nullable: true })
  sectorIdentifier: string | null;

  /** The secret sealed with the server's encryption secret, for `client_secret_jwt` only. */
  @Column({ name: 'secret_sealed', type: 'text', nullable: true })
  secretSealed: string | null;

  /** Public keys for `private_key_jwt` (RFC 7517 JWK Set). */
  @Column({ type: 'text', nullable: true, transformer: jsonObject })
  jwks: ClientJwks | null;

  @Column({ name: 'jwks_uri', type: 'text', nullable: true })
  jwksUri: string | null;

  @Column({ name: 'token_endpoint_auth_signing_alg', type: 'varchar', length: 16, nullable: true })
  tokenEndpointAuthSigningAlg: string | null;

  /** Must push its authorization requests (RFC 9126 section 6); plain ones are refused. */
  @Column({ name: 'require_pushed_authorization_requests', type: 'boolean', default: false })
  requirePushedAuthorizationRequests: boolean;

  /** Token requests must carry a DPoP proof (RFC 9449 section 5.2, `dpop_bound_access_tokens`). */
  @Column({ name: 'dpop_bound_access_tokens', type: 'boolean', default: false })
  dpopBoundAccessTokens: boolean;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMillis })
  updatedAt: number;

  // Dynamic registration (RFC 7591, RFC 7592): all null for clients configured in code or options.

  /** When the client registered itself (`client_id_issued_at`); null: a static client, never managed over HTTP. */
  @Column({ name: 'registered_at', type: 'bigint', nullable: true, transformer: epochMillis })
  registeredAt: number | null;

  /** SHA-256 (hex) of the current registration access token; null when there is none. */
  @Index('authnest_clients_registration_token_uq', { unique: true })
  @Column({ name: 'registration_token_hash', type: 'varchar', length: 64, nullable: true })
  registrationTokenHash: string | null;

  @Column({ name: 'registration_token_expires_at', type: 'bigint', nullable: true, transformer: epochMillis })
  registrationTokenExpiresAt: number | null;

  /** Registered metadata kept and returned as given (client_uri, logo_uri, contacts, application_type, ...). */
  @Column({ name: 'registration_metadata', type: 'text', nullable: true, transformer: jsonObject })
  registrationMetadata: Record<string, unknown> | null;
}
