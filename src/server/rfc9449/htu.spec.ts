import { describe, expect, it } from 'vitest';
import { normalizeHtu, requestHtu } from './htu.js';

describe('normalizeHtu (RFC 9449 section 4.3, RFC 3986 section 6.2)', () => {
  it.each([
    ['https://api.example.com/r', 'https://api.example.com/r'],
    ['HTTPS://API.Example.COM/r', 'https://api.example.com/r'],
    ['https://api.example.com:443/r', 'https://api.example.com/r'],
    ['http://api.example.com:80/r', 'http://api.example.com/r'],
    ['https://api.example.com:8443/r', 'https://api.example.com:8443/r'],
    ['https://api.example.com/r?x=1#frag', 'https://api.example.com/r'],
    ['https://api.example.com/a/./b/../r', 'https://api.example.com/a/r'],
    ['https://api.example.com', 'https://api.example.com/'],
    ['https://api.example.com/%7Euser', 'https://api.example.com/%7Euser'],
  ])('%s -> %s', (value, normalised) => {
    expect(normalizeHtu(value)).toBe(normalised);
  });

  it('keeps the path case and refuses what is not an http(s) URI', () => {
    expect(normalizeHtu('https://api.example.com/R')).not.toBe(normalizeHtu('https://api.example.com/r'));
    for (const value of ['/r', 'ftp://api.example.com/r', 'https://u:p@api.example.com/r', 'not a url', '']) expect(normalizeHtu(value)).toBeUndefined();
  });
});

describe('requestHtu', () => {
  const origin = 'https://api.example.com';

  it('joins the configured origin and the request path, without the query', () => {
    expect(requestHtu(origin, { url: '/orders/1?expand=all' })).toBe('https://api.example.com/orders/1');
    expect(requestHtu(origin, { originalUrl: '/orders', url: '/ignored' })).toBe('https://api.example.com/orders');
    expect(requestHtu(origin, { raw: { url: '/from-raw#x' } })).toBe('https://api.example.com/from-raw');
  });

  it('never lets the request target name another host', () => {
    expect(requestHtu(origin, { url: 'https://evil.example/orders' })).toBeUndefined();
    expect(requestHtu(origin, { url: '//evil.example/orders' })).toBe('https://api.example.com//evil.example/orders');
    expect(requestHtu(origin, { url: '*' })).toBeUndefined();
  });
});
