import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientService, type ClientSeed } from '../../src/index.js';
import { pkce, sha256, tableRows } from '../support/authorization-flow.js';
import { basic, postForm, request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp } from '../support/oidc-app.js';
import { TEST_ISSUER, type TestApp } from '../support/test-app.js';
import { assertionClaims, assertionForm, jwksOf, signWithKey, testKeyPair, type TestKeyPair } from '../rfc7523/support/assertions.js';
import { expectBasicChallenge, expectNoStore, expectOAuthError } from '../token-endpoint/helpers.js';
import { PAR_ENDPOINT, PAR_SERVICE, PAR_SPA, PAR_WEB, push, pushForm, pushOk, pushedCount, REQUEST_URI } from './support.js';

const PAR_DISABLED: ClientSeed = { ...PAR_WEB, clientId: 'par-disabled', clientSecret: 'par-disabled-secret' };

/**
 * The pushed authorization request endpoint (RFC 9126 section 2): client authentication exactly as at the token
 * endpoint (every method, `none` for public clients), the body validated by the authorization endpoint's own rules,
 * and every refusal an RFC 6749 section 5.2 JSON error with `Cache-Control: no-store`, never a redirect, storing
 * nothing. What is stored is the SHA-256 of the request URI's reference and the parameters without credentials.
 */
describe.each(testMatrix())('pushed authorization request endpoint on %s/%s', (platform, db) => {
  let t: TestApp;
  let key: TestKeyPair;
  let jwtClient: ClientSeed;

  beforeAll(async () => {
    key = await testKeyPair('ES256');
    jwtClient = { ...PAR_WEB, clientId: 'par-jwt', clientSecret: undefined, authMethods: ['private_key_jwt'], jwks: jwksOf(key) };
    t = await bootOidcApp(platform, db, { clients: [PAR_WEB, PAR_SPA, PAR_SERVICE, PAR_DISABLED, jwtClient] });
    await t.app.get(ClientService).setDisabled(PAR_DISABLED.clientId, true);
  });
  afterAll(() => t?.close());

  /** Runs a push that must be refused with `status` and `error`, and checks it stored nothing. */
  async function refused(send: () => ReturnType<typeof push>, status: number, error: string) {
    const before = await pushedCount(t);
    const res = await send();
    expectOAuthError(res, status, error);
    expect(res.headers.get('location')).toBeNull();
    expect(await pushedCount(t)).toBe(before);
    return res;
  }

  it('answers 201 with a one-time URN and expires_in, no-store; stores only its hash and no credentials', async () => {
    const res = await postForm(`${t.url}/oauth/par`, { ...pushForm(PAR_WEB, pkce().challenge), client_id: PAR_WEB.clientId, client_secret: PAR_WEB.clientSecret! });
    expect(res.status, res.text).toBe(201);
    expectNoStore(res);
    expect(Object.keys(res.body).sort()).toEqual(['expires_in', 'request_uri']);
    expect(res.body).toMatchObject({ request_uri: expect.stringMatching(REQUEST_URI), expires_in: 60 });
    const reference = String(res.body.request_uri).split(':').pop()!;
    const row = (await tableRows(t.app, 'PushedRequestEntity')).find((r) => r.reference_hash === sha256(reference));
    expect(row).toBeDefined();
    expect(JSON.stringify(row)).not.toContain(reference);
    expect(row!.client_id).toBe(PAR_WEB.clientId);
    const stored = JSON.parse(String(row!.parameters)) as Record<string, string>;
    expect(stored).toMatchObject({ client_id: PAR_WEB.clientId, redirect_uri: PAR_WEB.redirectUris![0], state: 'st-par' });
    expect(stored).not.toHaveProperty('client_secret');
    expect(JSON.stringify(row)).not.toContain(PAR_WEB.clientSecret);
  });

  it('authenticates with client_secret_basic, and a public client with client_id alone (none)', async () => {
    await pushOk(t, PAR_WEB, pushForm(PAR_WEB, pkce().challenge));
    await pushOk(t, PAR_SPA, pushForm(PAR_SPA, pkce().challenge));
  });

  it.each([
    ['the PAR endpoint', PAR_ENDPOINT],
    ['the issuer', TEST_ISSUER],
    ['the token endpoint', `${TEST_ISSUER}/oauth/token`],
  ])('authenticates private_key_jwt whose aud is %s (RFC 9126 section 2), and stores no assertion', async (_name, aud) => {
    const assertion = await signWithKey(key, assertionClaims(jwtClient.clientId, Date.now(), { aud }));
    const res = await postForm(`${t.url}/oauth/par`, { ...pushForm(jwtClient, pkce().challenge), ...assertionForm(assertion) });
    expect(res.status, res.text).toBe(201);
    const rows = await tableRows(t.app, 'PushedRequestEntity');
    expect(JSON.stringify(rows)).not.toContain(assertion.split('.')[2]!);
  });

  it('refuses a client assertion for another server or used twice (401 invalid_client)', async () => {
    const foreign = await signWithKey(key, assertionClaims(jwtClient.clientId, Date.now(), { aud: 'https://other.example/oauth/par' }));
    await refused(() => postForm(`${t.url}/oauth/par`, { ...pushForm(jwtClient, pkce().challenge), ...assertionForm(foreign) }), 401, 'invalid_client');
    const once = await signWithKey(key, assertionClaims(jwtClient.clientId, Date.now(), { aud: PAR_ENDPOINT }));
    expect((await postForm(`${t.url}/oauth/par`, { ...pushForm(jwtClient, pkce().challenge), ...assertionForm(once) })).status).toBe(201);
    await refused(() => postForm(`${t.url}/oauth/par`, { ...pushForm(jwtClient, pkce().challenge), ...assertionForm(once) }), 401, 'invalid_client');
  });

  it('refuses bad client authentication with 401 invalid_client like the token endpoint', async () => {
    const form = pushForm(PAR_WEB, pkce().challenge);
    const wrong = await refused(() => postForm(`${t.url}/oauth/par`, form, { authorization: basic(PAR_WEB.clientId, 'wrong-secret-000') }), 401, 'invalid_client');
    expectBasicChallenge(wrong, t.issuer);
    await refused(() => postForm(`${t.url}/oauth/par`, { ...form, client_id: PAR_WEB.clientId }), 401, 'invalid_client'); // a confidential client with none
    await refused(() => postForm(`${t.url}/oauth/par`, form), 401, 'invalid_client'); // no client at all
    await refused(() => postForm(`${t.url}/oauth/par`, { ...form, client_id: 'nobody' }), 401, 'invalid_client');
    await refused(() => push(t, PAR_DISABLED, form), 401, 'invalid_client');
  });

  it('refuses a client_id in the body that is not the authenticated client', async () => {
    await refused(() => push(t, PAR_WEB, { ...pushForm(PAR_WEB, pkce().challenge), client_id: PAR_SPA.clientId }), 400, 'invalid_request');
    const assertion = await signWithKey(key, assertionClaims(jwtClient.clientId, Date.now(), { aud: PAR_ENDPOINT }));
    await refused(() => postForm(`${t.url}/oauth/par`, { ...pushForm(jwtClient, pkce().challenge), ...assertionForm(assertion), client_id: PAR_WEB.clientId }), 401, 'invalid_client');
  });

  it.each([
    ['a request_uri (RFC 9126 section 2.1)', { request_uri: 'urn:ietf:params:oauth:request_uri:abc' }, 'invalid_request'],
    ['a request object', { request: 'eyJhbGciOiJub25lIn0.e30.' }, 'invalid_request'],
    ['a redirect_uri that is not registered', { redirect_uri: 'https://evil.test/cb' }, 'invalid_request'],
    ['no redirect_uri when two are registered', { redirect_uri: '' }, 'invalid_request'],
    ['an unknown scope', { scope: 'openid admin' }, 'invalid_scope'],
    ['no PKCE challenge', { code_challenge: '', code_challenge_method: '' }, 'invalid_request'],
    ['plain PKCE', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
    ['no response_type', { response_type: '' }, 'invalid_request'],
    ['an unknown response_mode', { response_mode: 'fragment' }, 'invalid_request'],
    ['prompt=none with login', { prompt: 'none login' }, 'invalid_request'],
    ['a malformed max_age', { max_age: '-1' }, 'invalid_request'],
    ['a claims parameter that is not JSON', { claims: '{nope' }, 'invalid_request'],
    ['an id_token_hint that is no ID token', { id_token_hint: 'not-a-jwt' }, 'invalid_request'],
  ])('validates like the authorization endpoint: %s is refused as JSON, never redirected', async (_name, extra, error) => {
    await refused(() => push(t, PAR_WEB, pushForm(PAR_WEB, pkce().challenge, extra)), 400, error);
  });

  it('refuses a client without the authorization code grant (unauthorized_client)', async () => {
    await refused(() => push(t, PAR_SERVICE, pushForm(PAR_SERVICE, pkce().challenge, { scope: 'profile' })), 400, 'unauthorized_client');
  });

  it('accepts POST only, form-encoded only, without repeated parameters', async () => {
    const get = await request(`${t.url}/oauth/par`);
    expectOAuthError(get, 405, 'invalid_request');
    expect(get.headers.get('allow')).toBe('POST');
    const json = await request(`${t.url}/oauth/par`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(PAR_WEB.clientId, PAR_WEB.clientSecret!) },
      body: JSON.stringify(pushForm(PAR_WEB, pkce().challenge)),
    });
    expectOAuthError(json, 400, 'invalid_request');
    const body = `${new URLSearchParams(pushForm(PAR_WEB, pkce().challenge)).toString()}&state=again`;
    await refused(() => postForm(`${t.url}/oauth/par`, body, { authorization: basic(PAR_WEB.clientId, PAR_WEB.clientSecret!) }), 400, 'invalid_request');
  });

  it('bounds the pushed request: at most 50 parameters and 32 KiB; an oversized body is a JSON error', async () => {
    const many = Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`x${i}`, 'y']));
    await refused(() => push(t, PAR_WEB, { ...pushForm(PAR_WEB, pkce().challenge), ...many }), 400, 'invalid_request');
    const large = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`pad${i}`, 'z'.repeat(8000)]));
    await refused(() => push(t, PAR_WEB, { ...pushForm(PAR_WEB, pkce().challenge), ...large }), 400, 'invalid_request');
    const before = await pushedCount(t);
    const huge = await push(t, PAR_WEB, { ...pushForm(PAR_WEB, pkce().challenge), pad: 'z'.repeat(2_000_000) });
    expect(huge.status).toBeGreaterThanOrEqual(400);
    expect(huge.status).toBeLessThan(500);
    expect(huge.body.error, huge.text).toBe('invalid_request');
    expect(huge.headers.get('cache-control')).toBe('no-store');
    expect(await pushedCount(t)).toBe(before);
  });

  it('is in the metadata; request_uri_parameter_supported stays false (nothing is fetched)', async () => {
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const { body } = await request(`${t.url}${path}`);
      expect(body).toMatchObject({
        pushed_authorization_request_endpoint: `${t.issuer}/oauth/par`,
        require_pushed_authorization_requests: false,
        request_uri_parameter_supported: false,
      });
    }
  });
});
