import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The sample's users table: the host app owns its users; authnest only asks through AccountService. */
@Entity({ name: 'sample_users' })
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ type: 'varchar', length: 255, unique: true })
  username: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'varchar', length: 255 })
  email: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;
}
