import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_CODE_GRANT_TYPE, JWT_BEARER_GRANT } from '../../src/index.js';
import { DeviceCodeStore } from '../../src/persistence/stores/device-code.store.js';
import { DeviceCodes } from '../../src/server/rfc8628/device-codes.service.js';
import { ALICE, expectActive, introspect, MACHINE, type GrantApp } from '../grants/grant-helpers.js';
import { sha256, tableRows } from '../support/authorization-flow.js';
import { request, type TestResponse } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { jwksOf, signWithKey, testKeyPair, type TestKeyPair } from '../rfc7523/support/assertions.js';
import { apiHtu, BOUND, boundToken, BROKER, bootDpopApp, expectTokenError, getWith, JWT_ISSUER, newKey, OPAQUE, TOKEN_HTU, tokenPost, TV } from './support/dpop-app.js';
import type { DpopKey } from './support/dpop-key.js';

const REGISTRATION = { mode: 'open' as const, grantTypes: ['client_credentials'], allowedScopes: ['a'] };

/** POSTs client metadata to the registration endpoint (RFC 7591 section 3.1). */
function register(app: GrantApp, metadata: Record<string, unknown>): Promise<TestResponse> {
  return request(`${app.t.url}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(metadata) });
}

/**
 * DPoP at the token endpoint for every grant (RFC 9449 section 5): a valid proof binds the access token (JWT `cnf.jkt`,
 * the row's `jkt`, `token_type: DPoP`) for client_credentials, device_code and jwt-bearer (the code and refresh grants
 * have their own suites); a client registered with `dpopBoundAccessTokens` cannot get a token without a proof;
 * introspection reports the binding (RFC 9449 section 6.2); the metadata lists the proof algorithms.
 */
describe.each(testMatrix())('DPoP token requests on %s/%s', (platform, db) => {
  let app: GrantApp;
  let key: DpopKey;
  let idp: TestKeyPair;

  beforeAll(async () => {
    idp = await testKeyPair('ES256');
    app = await bootDpopApp(platform, db, {}, { jwtBearer: { issuers: [{ issuer: JWT_ISSUER, jwks: jwksOf(idp) }] }, registration: REGISTRATION });
    key = await newKey(app);
  });
  afterAll(() => app?.t.close());

  async function accessTokenRow(token: string): Promise<Record<string, unknown>> {
    const rows = await tableRows(app.t.app, 'AccessTokenEntity');
    return rows.find((row) => row.token_hash === sha256(token))!;
  }

  it('stores the thumbprint with the token, never the proof', async () => {
    const token = await boundToken(app, MACHINE, key);
    expect((await accessTokenRow(token)).jkt).toBe(key.jkt);
  });

  it('requires a proof from a client with dpopBoundAccessTokens: 400 invalid_dpop_proof, then 200 with one', async () => {
    const refused = await tokenPost(app, BOUND, { grant_type: 'client_credentials' });
    expectTokenError(refused, 'invalid_dpop_proof');
    expect(refused.body.error_description).toMatch(/proof is required/);
    await boundToken(app, BOUND, key);
  });

  it('binds opaque access tokens in their row, and the guard accepts them only with a proof', async () => {
    const token = await boundToken(app, OPAQUE, key);
    expect(token.split('.')).toHaveLength(1);
    expect((await accessTokenRow(token)).jkt).toBe(key.jkt);
    expect((await getWith(app, '/api/a', `Bearer ${token}`)).status).toBe(401);
    const ok = await getWith(app, '/api/a', `DPoP ${token}`, await key.proof('GET', apiHtu('/api/a'), { accessToken: token }));
    expect(ok.status, ok.text).toBe(200);
  });

  it('binds the device code grant, and the public device client\'s refresh token', async () => {
    const created = await app.t.app.get(DeviceCodes).create(TV.id, ['a']);
    const row = (await app.t.app.get(DeviceCodes).findByDeviceCode(created.deviceCode))!;
    const decision = { status: 'approved' as const, accountId: ALICE, authTime: app.clock.now(), acr: null, amr: ['pwd'], scopes: ['a'] };
    expect(await app.t.app.get(DeviceCodeStore).decide(row.id, app.clock.now(), decision)).toBe(true);
    const res = await tokenPost(app, TV, { grant_type: DEVICE_CODE_GRANT_TYPE, device_code: created.deviceCode }, await key.proof('POST', TOKEN_HTU));
    expect(res.status, res.text).toBe(200);
    expect(res.body.token_type).toBe('DPoP');
    expect(decodeJwt(res.body.access_token as string).cnf).toEqual({ jkt: key.jkt });
    const refreshRows = await tableRows(app.t.app, 'RefreshTokenEntity');
    expect(refreshRows.find((r) => r.token_hash === sha256(res.body.refresh_token as string))?.jkt).toBe(key.jkt);
  });

  it('binds the JWT bearer grant', async () => {
    const iat = Math.floor(app.clock.now() / 1000);
    const assertion = await signWithKey(idp, { iss: JWT_ISSUER, sub: ALICE, aud: `${app.t.issuer}/oauth/token`, iat, exp: iat + 60, jti: randomUUID() });
    const res = await tokenPost(app, BROKER, { grant_type: JWT_BEARER_GRANT, assertion, scope: 'a' }, await key.proof('POST', TOKEN_HTU));
    expect(res.status, res.text).toBe(200);
    expect(res.body.token_type).toBe('DPoP');
    expect(decodeJwt(res.body.access_token as string)).toMatchObject({ sub: ALICE, cnf: { jkt: key.jkt } });
  });

  it('introspects bound tokens as token_type DPoP with cnf, bearer tokens as Bearer without', async () => {
    for (const client of [MACHINE, OPAQUE]) {
      const answer = await expectActive(app.t, await boundToken(app, client, key));
      expect(answer).toMatchObject({ token_type: 'DPoP', cnf: { jkt: key.jkt } });
    }
    const bearer = await tokenPost(app, MACHINE, { grant_type: 'client_credentials' });
    const answer = await expectActive(app.t, bearer.body.access_token as string);
    expect(answer.token_type).toBe('Bearer');
    expect(answer).not.toHaveProperty('cnf');
    expect((await introspect(app.t, 'not-a-token')).text).toBe('{"active":false}');
  });

  it('registers dpop_bound_access_tokens (RFC 9449 section 5.2) and enforces it', async () => {
    const registered = await register(app, { grant_types: ['client_credentials'], scope: 'a', dpop_bound_access_tokens: true });
    expect(registered.status, registered.text).toBe(201);
    expect(registered.body.dpop_bound_access_tokens).toBe(true);
    const client = { id: registered.body.client_id as string, secret: registered.body.client_secret as string };
    expectTokenError(await tokenPost(app, client, { grant_type: 'client_credentials' }), 'invalid_dpop_proof');
    await boundToken(app, client, key);
  });

  it('lists dpop_signing_alg_values_supported in the metadata', async () => {
    const res = await request(`${app.t.url}/.well-known/oauth-authorization-server`);
    expect(res.body.dpop_signing_alg_values_supported).toEqual(['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA', 'Ed25519']);
  });
});

/** With DPoP off (no `dpop` option), a `DPoP` header changes nothing (RFC 9449 section 5) and nothing advertises DPoP. */
describe.each(testMatrix())('DPoP off on %s/%s', (platform, db) => {
  let app: GrantApp;
  let key: DpopKey;

  beforeAll(async () => {
    app = await bootDpopApp(platform, db, 'off', { registration: REGISTRATION });
    key = await newKey(app);
  });
  afterAll(() => app?.t.close());

  it('ignores the DPoP header: a bearer token, no cnf', async () => {
    const res = await tokenPost(app, MACHINE, { grant_type: 'client_credentials' }, 'not even a proof');
    expect(res.status, res.text).toBe(200);
    expect(res.body.token_type).toBe('Bearer');
    expect(decodeJwt(res.body.access_token as string).cnf).toBeUndefined();
  });

  it('refuses to register dpop_bound_access_tokens: true', async () => {
    const res = await register(app, { grant_types: ['client_credentials'], scope: 'a', dpop_bound_access_tokens: true });
    expect([res.status, res.body.error]).toEqual([400, 'invalid_client_metadata']);
    expect((await register(app, { grant_types: ['client_credentials'], scope: 'a', dpop_bound_access_tokens: false })).status).toBe(201);
  });

  it('advertises nothing: no metadata member, a bare Bearer challenge, the DPoP scheme unknown', async () => {
    const metadata = await request(`${app.t.url}/.well-known/oauth-authorization-server`);
    expect(metadata.body).not.toHaveProperty('dpop_signing_alg_values_supported');
    const res = await getWith(app, '/api/a', 'DPoP abc', await key.proof('GET', apiHtu('/api/a')));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="${app.t.issuer}"`);
  });
});
