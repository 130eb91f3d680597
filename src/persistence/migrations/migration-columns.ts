import type { TableColumnOptions } from 'typeorm';

/** Dialect-neutral column shapes shared by authnest's migrations (SQLite and PostgreSQL). Never change these. */
export const bigint = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
export const varchar = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
export const text = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
export const bool = (name: string, value = false): TableColumnOptions => ({ name, type: 'boolean', default: value });
export const primary = (column: TableColumnOptions): TableColumnOptions => ({ ...column, isPrimary: true });
