import { describe, expect, it } from 'vitest';
import { resolveAuthOptions } from '../options/resolve-options.js';
import { configProblems } from '../../test/support/config-problems.js';
import { isSafeRequestId, requestIdOf } from './request-id.js';

const ISSUER = 'https://auth.example.com';
const FRESH = /^[A-Za-z0-9_-]{16}$/;
const options = (requestIds?: Record<string, unknown>) => resolveAuthOptions({ issuer: ISSUER, ...(requestIds ? { requestIds } : {}) }, {}).requestIds;

describe('request ids', () => {
  it('are off by default (their async context costs every promise on Node 20), in x-request-id, trusting a safe incoming id; a header name is kept lower-cased', () => {
    expect(options()).toEqual({ enabled: false, header: 'x-request-id', trustIncoming: true });
    expect(options({ enabled: false, header: 'X-Correlation-ID', trustIncoming: false })).toEqual({ enabled: false, header: 'x-correlation-id', trustIncoming: false });
  });

  it.each([
    ['a header name with a space', { header: 'x request' }, 'requestIds.header'],
    ['a header name with a colon', { header: 'x-id:' }, 'requestIds.header'],
    ['an empty header name', { header: '' }, 'requestIds.header'],
    ['a header name of 65 characters', { header: 'x'.repeat(65) }, 'requestIds.header'],
    ['enabled as a string', { enabled: 'true' }, 'requestIds.enabled'],
    ['an unknown key', { trust: true }, 'requestIds.trust'],
  ])('refuses %s', (_what, requestIds, path) => {
    expect(configProblems({ requestIds }, ISSUER)).toEqual([expect.stringMatching(new RegExp(`^${path.replace('.', '\\.')}: `))]);
  });

  it.each(['a', 'abc-123', 'trace.1:span_2', 'A'.repeat(128), 'f47ac10b-58cc-4372-a567-0e02b2c3d479'])('takes %s as safe', (id) => {
    expect(isSafeRequestId(id)).toBe(true);
  });

  it.each(['', 'A'.repeat(129), 'a b', 'a\tb', 'a\r\nSet-Cookie: x=1', 'a\nb', 'one, two', 'caf\u00e9', '<script>', 'a/b', 'a"b', '%0d%0a', undefined, ['a', 'b']])(
    'takes %j as unsafe',
    (id) => {
      expect(isSafeRequestId(id)).toBe(false);
    },
  );

  it('keeps a safe incoming id when trusted; else draws a fresh, distinct one', () => {
    const trusting = options();
    expect(requestIdOf({ 'x-request-id': 'abc' }, trusting)).toBe('abc');
    expect(requestIdOf({ 'x-request-id': 'a b' }, trusting)).toMatch(FRESH);
    expect(requestIdOf({}, trusting)).toMatch(FRESH);
    expect(requestIdOf({ 'x-request-id': 'abc' }, options({ trustIncoming: false }))).toMatch(FRESH);
    expect(requestIdOf({ 'x-trace': 'abc' }, options({ header: 'X-Trace' }))).toBe('abc');
    const ids = new Set(Array.from({ length: 1000 }, () => requestIdOf({}, trusting)));
    expect(ids.size).toBe(1000);
  });
});
