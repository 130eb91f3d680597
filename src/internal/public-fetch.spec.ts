import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPublicJson, isNonPublicAddress } from './public-fetch.js';

describe('isNonPublicAddress', () => {
  it.each([
    '127.0.0.1', '127.255.255.254', '10.0.0.5', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
    '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1',
    '::ffff:a9fe:a9fe', '[::1]', 'not-an-ip',
  ])('%s is not public', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) => {
    expect(isNonPublicAddress(address)).toBe(false);
  });
});

describe('fetchPublicJson', () => {
  let url = '';
  let hits = 0;
  const server = createServer((request, response) => {
    hits += 1;
    if (request.url === '/big') return response.end(JSON.stringify({ keys: 'x'.repeat(100_000) }));
    if (request.url === '/redirect') return response.writeHead(302, { location: '/jwks' }).end();
    if (request.url === '/html') return response.end('<html></html>');
    if (request.url === '/hang') return;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: [] }));
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  const allowed = { timeoutMs: 500, maxBytes: 65_536, allowPrivate: true };

  it('reads a JSON object when private addresses are allowed', async () => {
    await expect(fetchPublicJson(`${url}/jwks`, allowed)).resolves.toEqual({ keys: [] });
  });

  it.each([
    ['http on loopback', (u: string) => `${u}/jwks`],
    ['https to 127.0.0.1', (u: string) => `${u.replace('http:', 'https:')}/jwks`],
    ['https to [::1]', () => 'https://[::1]/jwks'],
    ['https to a decimal 127.0.0.1', () => 'https://2130706433/jwks'],
    ['https to a hex 127.0.0.1', () => 'https://0x7f.1/jwks'],
    ['https to the metadata address', () => 'https://169.254.169.254/latest/meta-data/'],
    ['https to an IPv4-mapped loopback', () => 'https://[::ffff:127.0.0.1]/jwks'],
  ])('refuses %s without connecting', async (_name, build) => {
    const before = hits;
    await expect(fetchPublicJson(build(url), { ...allowed, allowPrivate: false })).rejects.toMatchObject({ name: 'UpstreamError' });
    expect(hits).toBe(before);
  });

  it('refuses a name that resolves to loopback at connect time (the lookup, not a prior check, decides)', async () => {
    const port = new URL(url).port;
    await expect(fetchPublicJson(`https://localhost:${port}/jwks`, { ...allowed, allowPrivate: false })).rejects.toMatchObject({
      reason: 'points at a non-public address',
    });
  });

  it('refuses redirects, bodies over the cap, non-JSON and a silent server', async () => {
    await expect(fetchPublicJson(`${url}/redirect`, allowed)).rejects.toMatchObject({ reason: 'answered HTTP 302' });
    await expect(fetchPublicJson(`${url}/big`, allowed)).rejects.toMatchObject({ reason: 'answered with a body over 65536 bytes' });
    await expect(fetchPublicJson(`${url}/html`, allowed)).rejects.toMatchObject({ reason: 'answered with a body that is not JSON' });
    await expect(fetchPublicJson(`${url}/hang`, { ...allowed, timeoutMs: 200 })).rejects.toMatchObject({ reason: 'did not answer within 200 ms' });
  });
});
