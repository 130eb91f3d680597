import { describe, expect, it } from 'vitest';
import { timeOrderedId } from '../internal/random.js';
import { ACCESS_TOKEN_ID_LENGTH, accessTokenIdOf, newOpaqueAccessToken } from './access-token-id.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (payload: unknown) => `${b64({ alg: 'ES256' })}.${b64(payload)}.c2ln`;

describe('opaque access tokens', () => {
  it('carry their id, then 256 random bits, all base64url', () => {
    const id = timeOrderedId(10);
    expect(id).toHaveLength(ACCESS_TOKEN_ID_LENGTH);
    const token = newOpaqueAccessToken(id);
    expect(token).toMatch(/^[A-Za-z0-9_-]{65}$/);
    expect(token.startsWith(id)).toBe(true);
    expect(accessTokenIdOf(token)).toBe(id);
  });

  it('never repeat the secret part for the same id', () => {
    const id = timeOrderedId(10);
    const secrets = new Set(Array.from({ length: 1000 }, () => newOpaqueAccessToken(id).slice(ACCESS_TOKEN_ID_LENGTH)));
    expect(secrets.size).toBe(1000);
  });
});

describe('accessTokenIdOf', () => {
  it("reads a JWT's jti without verifying it", () => {
    expect(accessTokenIdOf(jwt({ jti: 'abc', sub: 'x' }))).toBe('abc');
  });

  it.each([
    ['an empty string', ''],
    ['a 43-character opaque token (no id)', 'a'.repeat(43)],
    ['64 characters', 'a'.repeat(64)],
    ['66 characters', 'a'.repeat(66)],
    ['65 characters with a character outside base64url', `${'a'.repeat(64)}=`],
    ['a JWT without jti', jwt({ sub: 'x' })],
    ['a JWT whose jti is a number', jwt({ jti: 7 })],
    ['a JWT whose jti is empty', jwt({ jti: '' })],
    ['a JWT whose jti is longer than an id column', jwt({ jti: 'j'.repeat(65) })],
    ['a JWT whose payload is not JSON', `${b64({})}.bm90IGpzb24.c2ln`],
    ['a JWT whose payload is null', jwt(null)],
    ['two parts', `${b64({})}.${b64({ jti: 'abc' })}`],
    ['four parts', `${jwt({ jti: 'abc' })}.x`],
    ['an empty header', `.${b64({ jti: 'abc' })}.c2ln`],
    ['an oversized payload', jwt({ jti: 'abc', pad: 'x'.repeat(9000) })],
  ])('is undefined for %s', (_, token) => {
    expect(accessTokenIdOf(token)).toBeUndefined();
  });
});
