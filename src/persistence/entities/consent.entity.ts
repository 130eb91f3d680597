import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis, jsonList } from '../column-transformers.js';

/** Scopes a user approved for a client, remembered so the consent page is not shown again. */
@Entity({ name: 'authnest_consents' })
@Index('authnest_consents_account_client_uq', ['accountId', 'clientId'], { unique: true })
export class ConsentEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'account_id', type: 'varchar', length: 255 })
  accountId: string;

  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId: string;

  @Column({ type: 'text', transformer: jsonList })
  scopes: string[];

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMillis })
  updatedAt: number;

  /** Claims approved one by one (the `claims` request parameter), besides the scopes. */
  @Column({ type: 'text', nullable: true, transformer: jsonList })
  claims: string[];
}
