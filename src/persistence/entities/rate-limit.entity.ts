import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis } from '../column-transformers.js';

/** A fixed-window counter (login attempts per account hash and per address), shared by all instances. */
@Entity({ name: 'authnest_rate_limits' })
export class RateLimitEntity {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  key: string;

  @Column({ type: 'integer' })
  count: number;

  @Column({ name: 'window_start', type: 'bigint', transformer: epochMillis })
  windowStart: number;
}
