import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis, jsonList } from '../column-transformers.js';

/** A registered OAuth client. The secret exists only as a scrypt hash. */
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

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMillis })
  updatedAt: number;
}
