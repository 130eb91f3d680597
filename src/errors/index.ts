export * from './oauth-error.js';
export * from './oauth-errors.js';
export * from './bearer-errors.js';
export * from './device-errors.js';
export * from './registration-errors.js';
export * from './dpop-errors.js';
export { isStorageUnavailable, StorageUnavailableError } from './storage-unavailable.js';
