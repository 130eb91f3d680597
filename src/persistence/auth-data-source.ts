import type { DataSource } from 'typeorm';

/** The DataSource authnest uses, and whether it opened it (and so must close it). */
export interface AuthDataSource {
  dataSource: DataSource;
  owned: boolean;
}
