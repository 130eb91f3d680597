import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { TestResponse } from './http.js';

/** The headers every authnest page carries, and a CSP that allows exactly its own inline style. */
export function expectPageHeaders(res: TestResponse, formTarget?: string): void {
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
  const csp = res.headers.get('content-security-policy')!;
  const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.slice(d.indexOf(' ') + 1)]));
  expect(directives['default-src']).toBe("'none'");
  expect(directives['frame-ancestors']).toBe("'none'");
  expect(directives['base-uri']).toBe("'none'");
  expect(directives['form-action']).toBe(formTarget ? `'self' ${formTarget}` : "'self'");
  const style = /<style>([^<]*)<\/style>/.exec(res.text)![1]!;
  expect(directives['style-src']).toBe(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
  expect(csp).not.toContain('unsafe');
  // Nothing is loaded from elsewhere and nothing needs JavaScript.
  expect(res.text).not.toMatch(/<(script|link|img|iframe|object)\b/i);
  expect(res.text).not.toMatch(/<[a-z][^>]*\s(src|href)=/i);
}
