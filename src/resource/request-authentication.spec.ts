import { QueryFailedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { InvalidTokenError } from '../errors/bearer-errors.js';
import { StorageUnavailableError } from '../errors/storage-unavailable.js';
import type { BearerTokenVerifier } from './bearer-token-verifier.js';
import { AuthnestBearerStrategy } from './bearer.strategy.js';
import type { DpopBinding } from './dpop-binding.js';
import { authenticateRequest } from './request-authentication.js';
import type { RequestWithToken } from './request-token.js';

const REALM = 'https://as.test';
const request = { headers: { authorization: 'Bearer abc' } } as unknown as RequestWithToken;
const dpop: DpopBinding = { algorithms: ['ES256'], verify: async () => undefined, freshNonce: () => undefined };

function failing(error: unknown): BearerTokenVerifier {
  return { verify: () => Promise.reject(error) };
}

const locked = new QueryFailedError('SELECT 1', [], Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

/**
 * The guards when the storage behind the verifier fails: 503 `temporarily_unavailable` with Retry-After and no
 * challenge (the token may be valid: a 401 would make the client drop it), DPoP on or off; any other failure and every
 * verdict of the verifier unchanged.
 */
describe('authenticateRequest with the storage down', () => {
  it.each([
    ['SQLite locked', locked],
    ['PostgreSQL refused', refused],
  ])('answers %s with StorageUnavailableError, DPoP off and on', async (_name, error) => {
    for (const binding of [undefined, dpop]) {
      const failure = await authenticateRequest(request, {}, failing(error), REALM, binding).catch((caught: unknown) => caught);
      expect(failure).toBeInstanceOf(StorageUnavailableError);
      expect((failure as StorageUnavailableError).status).toBe(503);
      expect((failure as StorageUnavailableError).headers).toEqual({ 'Retry-After': '5' });
    }
  });

  it('keeps any other failure and the verifier verdicts as they are', async () => {
    const bug = new TypeError('x is undefined');
    await expect(authenticateRequest(request, {}, failing(bug), REALM, undefined)).rejects.toBe(bug);
    const invalid = new InvalidTokenError(REALM);
    await expect(authenticateRequest(request, {}, failing(invalid), REALM, undefined)).rejects.toBe(invalid);
  });
});

describe('AuthnestBearerStrategy with the storage down', () => {
  it('fails with StorageUnavailableError, other failures unchanged', async () => {
    await expect(new AuthnestBearerStrategy(failing(locked), REALM).validate('abc')).rejects.toBeInstanceOf(StorageUnavailableError);
    const bug = new TypeError('x is undefined');
    await expect(new AuthnestBearerStrategy(failing(bug), REALM).validate('abc')).rejects.toBe(bug);
  });
});
