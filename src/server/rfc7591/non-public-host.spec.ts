import { describe, expect, it } from 'vitest';
import { hasNonPublicHost } from './non-public-host.js';

describe('hasNonPublicHost', () => {
  it.each([
    'https://127.0.0.1/', 'https://127.1.2.3:8443/', 'https://localhost/', 'https://LOCALHOST./', 'https://[::1]/', 'https://[::ffff:127.0.0.1]/',
    'https://[::ffff:a00:5]/', 'https://169.254.169.254/latest/meta-data/', 'https://10.0.0.5/', 'https://172.16.0.1/', 'https://172.31.255.255/',
    'https://192.168.1.1/', 'https://100.64.0.1/', 'https://0.0.0.0/', 'https://2130706433/', 'https://0x7f.1/', 'https://0177.0.0.1/',
    'https://[fe80::1]/', 'https://[fc00::1]/', 'https://[::]/', 'https://api.localhost/', 'https://metadata.google.internal/', 'https://printer.local/',
    'https://intranet/', 'https://router.home.arpa/',
  ])('refuses %s', (url) => {
    expect(hasNonPublicHost(new URL(url))).toBe(true);
  });

  it.each(['https://rp.example.com/', 'https://8.8.8.8/', 'https://172.32.0.1/', 'https://[2001:4860:4860::8888]/', 'https://localhost.example.com/'])('accepts %s', (url) => {
    expect(hasNonPublicHost(new URL(url))).toBe(false);
  });
});
