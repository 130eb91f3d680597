import { hash } from 'node:crypto';

/** Hex SHA-256 of a UTF-8 string: how tokens are stored and looked up (one-shot: no Hash object per call). */
export function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}
