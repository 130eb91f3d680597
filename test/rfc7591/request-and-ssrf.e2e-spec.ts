import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { bootRegistrationApp, clientCount, expectRegistrationError, INITIAL_ACCESS_TOKEN, register } from './support.js';

const CB = 'https://rp.example.com/cb';
const publicJwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
const AUTH = { authorization: `Bearer ${INITIAL_ACCESS_TOKEN}` };

/** Hosts that are not on the public internet, as a registrant may write them (checklist 89). */
const NON_PUBLIC_HOSTS = [
  '127.0.0.1:8443',
  'localhost',
  '[::1]',
  '[::ffff:127.0.0.1]',
  '[::ffff:7f00:1]',
  '169.254.169.254',
  'metadata.google.internal',
  '10.0.0.5',
  '172.16.0.1',
  '192.168.1.1',
  '100.64.0.1',
  '0.0.0.0',
  '2130706433',
  '0x7f.1',
  '0177.0.0.1',
  '[fe80::1]',
  '[fc00::1]',
  'api.localhost',
  'intranet',
];

/** Each URL member authnest (or the lead's fetcher) would contact, with what else it needs to be valid. */
const OUTBOUND: [string, (host: string) => Record<string, unknown>][] = [
  ['jwks_uri', (host) => ({ grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt', jwks_uri: `https://${host}/jwks.json` })],
  ['sector_identifier_uri', (host) => ({ redirect_uris: [`https://${host}/cb`], subject_type: 'pairwise', sector_identifier_uri: `https://${host}/sector.json` })],
  ['backchannel_logout_uri', (host) => ({ redirect_uris: [CB], backchannel_logout_uri: `https://${host}/logout` })],
];

const CASES = OUTBOUND.flatMap(([member, metadata]) => NON_PUBLIC_HOSTS.map((host): [string, string, Record<string, unknown>] => [member, host, metadata(host)]));

/**
 * The shape of a registration request (JSON only, an object, bounded) and the SSRF rule of registration: URLs the
 * server would contact must name public hosts, judged from the URL alone (nothing is fetched at registration).
 */
describe.each(testMatrix())('registration requests and non-public URLs on %s/%s', (platform, db) => {
  let t: TestApp;
  let clients: number;

  beforeAll(async () => {
    t = await bootRegistrationApp(platform, db);
    clients = await clientCount(t);
  });
  afterAll(() => t?.close());

  it.each([
    ['text/plain', 'text/plain', '{"grant_types":["client_credentials"]}'],
    ['a form', 'application/x-www-form-urlencoded', 'grant_types=client_credentials'],
    ['no content type', undefined, '{"grant_types":["client_credentials"]}'],
  ])('answers a body sent as %s with 415 invalid_request', async (_case, contentType, body) => {
    const res = await request(`${t.url}/oauth/register`, { method: 'POST', headers: { ...AUTH, ...(contentType ? { 'content-type': contentType } : {}) }, body });
    expectRegistrationError(res, 415, 'invalid_request');
  });

  it.each([
    ['null', 'null'],
    ['an array', '[{"grant_types":["client_credentials"]}]'],
    ['a string', '"client"'],
    ['a number', '42'],
    ['broken JSON', '{"grant_types": ['],
    ['an empty body', ''],
  ])('answers %s with 400 invalid_request', async (_case, body) => {
    const res = await register(t, body);
    expectRegistrationError(res, 400, 'invalid_request');
  });

  it('answers a 2 MB body with 413 and no stack trace', async () => {
    const res = await register(t, { grant_types: ['client_credentials'], client_name: 'x'.repeat(2 * 1024 * 1024) });
    expectRegistrationError(res, 413, 'invalid_request');
  });

  it('refuses a signed software_statement as unapproved, and one that is no JWT as invalid (RFC 7591 sections 2.3, 3.2.2)', async () => {
    const jwt = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('{"software_id":"x"}').toString('base64url')}.c2ln`;
    expectRegistrationError(await register(t, { grant_types: ['client_credentials'], software_statement: jwt }), 400, 'unapproved_software_statement');
    expectRegistrationError(await register(t, { grant_types: ['client_credentials'], software_statement: 'not a jwt' }), 400, 'invalid_software_statement');
    expectRegistrationError(await register(t, { grant_types: ['client_credentials'], software_statement: 42 }), 400, 'invalid_software_statement');
  });

  it.each(CASES)('refuses a %s on %s: invalid_client_metadata', async (member, _host, metadata) => {
    const res = await register(t, metadata);
    expectRegistrationError(res, 400, 'invalid_client_metadata');
    expect(String(res.body.error_description)).toContain(member);
  });

  it('refuses http for the URLs it contacts, and accepts public https ones', async () => {
    expectRegistrationError(
      await register(t, { grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'http://keys.rp.example.com/jwks' }),
      400,
      'invalid_client_metadata',
    );
    const res = await register(t, { grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://keys.rp.example.com/jwks' });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ jwks_uri: 'https://keys.rp.example.com/jwks', token_endpoint_auth_method: 'private_key_jwt' });
    expect(res.body).not.toHaveProperty('client_secret');
    const inline = await register(t, { grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [publicJwk] }, token_endpoint_auth_signing_alg: 'ES256' });
    expect(inline.status, inline.text).toBe(201);
    expect(inline.body).toMatchObject({ jwks: { keys: [publicJwk] }, token_endpoint_auth_signing_alg: 'ES256' });
    expect(await clientCount(t)).toBe(clients + 2);
  });
});

describe.each(testMatrix())('registration with clientAssertions.allowPrivateJwksUri on %s/%s', (platform, db) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootRegistrationApp(platform, db, { options: { clientAssertions: { allowPrivateJwksUri: true } } });
  });
  afterAll(() => t?.close());

  it('accepts loopback and private URLs (tests, closed networks)', async () => {
    for (const [, metadata] of OUTBOUND) {
      for (const host of ['127.0.0.1:8443', '10.0.0.5']) {
        const res = await register(t, metadata(host));
        expect(res.status, res.text).toBe(201);
      }
    }
    const http = await register(t, { grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'http://127.0.0.1:9/jwks' });
    expect(http.status, http.text).toBe(201);
  });
});
