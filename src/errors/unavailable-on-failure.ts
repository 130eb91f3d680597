import type { Logger } from '@nestjs/common';
import { OAuthError } from './oauth-error.js';
import { TemporarilyUnavailableError } from './oauth-errors.js';
import { isStorageUnavailable, StorageUnavailableError } from './storage-unavailable.js';

/**
 * Runs the work of an endpoint whose answer must never be a guess (revocation, introspection): an `OAuthError` is
 * the answer; anything else (a storage failure) is logged by its name only, as `${what} failed`, and becomes 503
 * `temporarily_unavailable` (with `Retry-After` when the storage is down or locked: `isStorageUnavailable`), never a
 * 200 that did nothing or an answer about the token (FL4, FL5).
 */
export async function unavailableOnFailure<T>(logger: Logger, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof OAuthError) throw error;
    logger.error(`${what} failed: ${error instanceof Error ? error.name : typeof error}`);
    throw isStorageUnavailable(error) ? new StorageUnavailableError() : new TemporarilyUnavailableError();
  }
}
