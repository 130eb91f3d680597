import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256, tableRows } from '../support/authorization-flow.js';
import { basic, postForm, request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { expectBasicChallenge, expectErrorEnvelope, expectNoStore, expectOAuthError } from '../token-endpoint/helpers.js';
import { CONSOLE, DEVICE_CODE_GRANT_TYPE, deviceAuthorization, KIOSK, bootDeviceApp, TV, WEBAPP } from './support/device-app.js';

const USER_CODE = /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/;

/**
 * The device authorization endpoint (RFC 8628 section 3.1, 3.2; Authlib 4.9 items 89-91): client authentication as
 * at the token endpoint, the device grant required, scope checked like every grant, the response and its headers,
 * and errors that are always RFC 6749 section 5.2 JSON (never 5xx, never a stored row).
 */
describe.each(testMatrix())('device authorization endpoint on %s/%s', (platform, db) => {
  let t: TestApp;
  const url = () => `${t.url}/oauth/device_authorization`;
  const rows = async () => (await tableRows(t.app, 'DeviceCodeEntity')).length;
  beforeAll(async () => {
    t = await bootDeviceApp(platform, db);
  });
  afterAll(() => t?.close());

  it('answers a public client with the codes, the verification URIs, expires_in and interval (90), never cached', async () => {
    const res = await deviceAuthorization(t, TV, { scope: 'openid profile' });
    expect(res.status, res.text).toBe(200);
    expectNoStore(res);
    expect(Object.keys(res.body).sort()).toEqual(['device_code', 'expires_in', 'interval', 'user_code', 'verification_uri', 'verification_uri_complete']);
    expect(res.body.device_code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.body.user_code).toMatch(USER_CODE);
    expect(res.body.verification_uri).toBe(`${t.issuer}/oauth/device`);
    expect(res.body.verification_uri_complete).toBe(`${t.issuer}/oauth/device?user_code=${String(res.body.user_code)}`);
    expect(res.body).toMatchObject({ expires_in: 600, interval: 5 });
  });

  it('gives every request new codes', async () => {
    const codes = await Promise.all([1, 2, 3, 4, 5].map(() => deviceAuthorization(t, TV)));
    expect(new Set(codes.map((res) => res.body.device_code)).size).toBe(5);
    expect(new Set(codes.map((res) => res.body.user_code)).size).toBe(5);
  });

  it('authenticates a confidential client by Basic or post, and stores the authenticated client (91)', async () => {
    for (const how of ['basic', 'post'] as const) {
      const res = await deviceAuthorization(t, KIOSK, { scope: 'profile' }, how);
      expect(res.status, res.text).toBe(200);
    }
    const stored = (await tableRows(t.app, 'DeviceCodeEntity')).filter((row) => row.client_id === KIOSK.clientId);
    expect(stored).toHaveLength(2);
    // A body client_id naming another client than the Basic credentials is refused, never stored.
    const before = await rows();
    const mixed = await postForm(url(), { client_id: TV.clientId }, { authorization: basic(KIOSK.clientId, KIOSK.clientSecret!) });
    expectOAuthError(mixed, 400, 'invalid_request');
    expect(await rows()).toBe(before);
  });

  it('refuses requests without client identification, unknown clients and wrong secrets with 401 invalid_client (89)', async () => {
    const before = await rows();
    expectBasicChallenge(await postForm(url(), { scope: 'profile' }), t.issuer);
    expectOAuthError(await postForm(url(), { client_id: 'nobody' }), 401, 'invalid_client');
    expectBasicChallenge(await postForm(url(), {}, { authorization: basic(KIOSK.clientId, 'wrong-secret') }), t.issuer);
    expectOAuthError(await postForm(url(), { client_id: KIOSK.clientId, client_secret: 'wrong-secret' }), 401, 'invalid_client');
    // A confidential client may not skip its secret (none is not among its methods).
    expectOAuthError(await postForm(url(), { client_id: KIOSK.clientId }), 401, 'invalid_client');
    expect(await rows()).toBe(before);
  });

  it('refuses a client without the device grant with unauthorized_client (94)', async () => {
    const res = await deviceAuthorization(t, WEBAPP);
    expectOAuthError(res, 400, 'unauthorized_client');
  });

  it('checks scope like every grant: default scopes, dropped scopes, invalid_scope', async () => {
    const stored = async (res: Awaited<ReturnType<typeof deviceAuthorization>>) => {
      expect(res.status, res.text).toBe(200);
      const rowsNow = await tableRows(t.app, 'DeviceCodeEntity');
      return JSON.parse(String(rowsNow.find((row) => row.device_code_hash === sha256(String(res.body.device_code)))!.scopes)) as string[];
    };
    expect(await stored(await deviceAuthorization(t, TV))).toEqual(['tv:watch']);
    expect(await stored(await deviceAuthorization(t, CONSOLE))).toEqual([]);
    expect(await stored(await deviceAuthorization(t, KIOSK, { scope: 'profile email' }))).toEqual(['profile']);
    expectOAuthError(await deviceAuthorization(t, TV, { scope: 'admin' }), 400, 'invalid_scope');
    expectOAuthError(await deviceAuthorization(t, KIOSK, { scope: 'email' }), 400, 'invalid_scope');
    expectOAuthError(await deviceAuthorization(t, TV, { scope: 'profile "email"' }), 400, 'invalid_scope');
  });

  it('reads only form bodies with single, flat parameters; GET is 405', async () => {
    const json = await request(url(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: TV.clientId }) });
    expectOAuthError(json, 400, 'invalid_request');
    expectOAuthError(await postForm(url(), 'client_id=tv&client_id=tv'), 400, 'invalid_request');
    expectOAuthError(await postForm(url(), 'client_id=tv&scope[a]=b'), 400, 'invalid_request');
    const get = await request(`${url()}?client_id=tv`);
    expectOAuthError(get, 405, 'invalid_request');
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('never answers 5xx or leaks internals for hostile input', async () => {
    const hostile = [
      'client_id=%00',
      `client_id=${'x'.repeat(9000)}`,
      'client_id=tv&scope=%ff%fe',
      'client_id=tv&scope=' + encodeURIComponent('<script>alert(1)</script>'),
      '%%%',
      'client_id=tv&device_code=x&grant_type=' + encodeURIComponent(DEVICE_CODE_GRANT_TYPE),
    ];
    for (const body of hostile) {
      const res = await postForm(url(), body);
      expect(res.status, `${body.slice(0, 40)}: ${res.text}`).toBeLessThan(500);
      if (res.status >= 400) expectErrorEnvelope(res);
    }
  });
});
