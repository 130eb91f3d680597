import { describe, expect, it } from 'vitest';
import { isAcceptableRedirectUri, isLoopbackHost, isSafeServerUrl, tryParseUrl } from './url-rules.js';

describe('url rules', () => {
  it.each(['localhost', '127.0.0.1', '127.1.2.3', '[::1]'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['localhost.example.com', '127.0.0.1.nip.io', '128.0.0.1', '0.0.0.0', '::1', 'example.com', '10.0.0.1'])('%s is not loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it('parses absolute URLs only', () => {
    expect(tryParseUrl('https://a.example/x')?.hostname).toBe('a.example');
    expect(tryParseUrl('/relative')).toBeUndefined();
    expect(tryParseUrl('not a url')).toBeUndefined();
  });

  it.each(['https://auth.example.com', 'https://auth.example.com/t/a', 'http://localhost:3000', 'http://127.0.0.1', 'http://[::1]:9000'])(
    'server URL %s is safe',
    (url) => {
      expect(isSafeServerUrl(url)).toBe(true);
    },
  );

  it.each([
    'http://auth.example.com',
    'http://localhost.evil.example',
    'https://auth.example.com?x=1',
    'https://auth.example.com?',
    'https://auth.example.com#',
    'https://auth.example.com#f',
    'https://u@auth.example.com',
    'https://u:p@auth.example.com',
    'wss://auth.example.com',
    'auth.example.com',
    '',
  ])('server URL %j is refused', (url) => {
    expect(isSafeServerUrl(url)).toBe(false);
  });

  it.each(['https://app.example.com/cb', 'https://app.example.com/cb?state=x', 'http://127.0.0.1:51000/cb', 'http://[::1]/cb', 'http://localhost/cb', 'com.example.app:/oauth2redirect'])(
    'redirect URI %s is acceptable',
    (uri) => {
      expect(isAcceptableRedirectUri(uri)).toBe(true);
    },
  );

  it.each([
    'https://app.example.com/cb#x',
    'https://app.example.com/cb#',
    'http://app.example.com/cb',
    'https://u:p@app.example.com/cb',
    'https://u@app.example.com/cb',
    '/cb',
    'javascript:alert(1)',
    'data:text/html,x',
    'file:///etc/passwd',
    'myapp:/cb',
  ])('redirect URI %j is refused', (uri) => {
    expect(isAcceptableRedirectUri(uri)).toBe(false);
  });
});
