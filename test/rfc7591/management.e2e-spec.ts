import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMe } from '../support/app-helpers.js';
import { authorizeWithLogin, clientRedirect, pkce, tableRows, TestBrowser } from '../support/authorization-flow.js';
import { basic, postForm } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { expectTokenResponse } from '../token-endpoint/helpers.js';
import { bootRegistrationApp, expectBearer401, expectRegistrationError, INTROSPECTOR, manage, registerOk, type Registered } from './support.js';

const CB = 'https://rp.example.com/cb';
const SERVICE = { grant_types: ['client_credentials'], scope: 'posts:read', client_uri: 'https://rp.example.com' };

/** The client configuration endpoint (RFC 7592 section 2; Authlib 199-204 with the RFC 6750 answers; checklist 95). */
describe.each(testMatrix())('client configuration endpoint on %s/%s', (platform, db) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootRegistrationApp(platform, db);
  });
  afterAll(() => t?.close());

  const clientCredentials = (client: Pick<Registered, 'clientId'>, secret: string) =>
    postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(client.clientId, secret) });
  const introspect = async (token: string) =>
    (await postForm(`${t.url}/oauth/introspect`, { token }, { authorization: basic(INTROSPECTOR.clientId, INTROSPECTOR.clientSecret!) })).body.active;

  it('wants the registration access token as a Bearer token: none is a bare 401, a wrong one 401 invalid_token', async () => {
    const client = await registerOk(t, SERVICE);
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      expectBearer401(await manage(client.uri, method, undefined, method === 'PUT' ? { client_id: client.clientId } : undefined), 'missing');
      expectBearer401(await manage(client.uri, method, `${client.token}x`), 'invalid');
    }
    const basicScheme = await fetch(client.uri, { headers: { authorization: basic(client.clientId, client.secret!) } });
    expect(basicScheme.status).toBe(401);
    const malformed = await fetch(client.uri, { headers: { authorization: 'Bearer two words' } });
    expect(malformed.status).toBe(400);
    expect((await manage(client.uri, 'GET', client.token)).status).toBe(200);
  });

  it("revokes a client's token used on another client's URL (or an unknown one), and never reaches a static client", async () => {
    const [a, b] = [await registerOk(t, SERVICE), await registerOk(t, SERVICE)];
    expectBearer401(await manage(b.uri, 'GET', a.token), 'invalid');
    expectBearer401(await manage(a.uri, 'GET', a.token), 'invalid');
    expect((await manage(b.uri, 'GET', b.token)).status).toBe(200);
    const c = await registerOk(t, SERVICE);
    expectBearer401(await manage(`${t.url}/oauth/register/static-web`, 'GET', c.token), 'invalid');
    expectBearer401(await manage(c.uri, 'DELETE', c.token), 'invalid');
    const d = await registerOk(t, SERVICE);
    expectBearer401(await manage(`${t.url}/oauth/register/no-such-client`, 'DELETE', d.token), 'invalid');
    expectBearer401(await manage(`${t.url}/oauth/register/static-web`, 'PUT', 'any-token', { client_id: 'static-web' }), 'invalid');
    expect((await clientCredentials({ clientId: 'static-web' }, 'static-secret-0001')).status).toBe(200);
  });

  it.each([
    ['an empty object', null],
    ['another client_id', { client_id: 'static-web' }],
    ['registration_access_token', { registration_access_token: 'x' }],
    ['registration_client_uri', { registration_client_uri: 'https://x' }],
    ['client_secret_expires_at', { client_secret_expires_at: 0 }],
    ['client_id_issued_at', { client_id_issued_at: 1 }],
    ['a wrong client_secret', { client_secret: 'not-the-secret' }],
  ])('refuses an update with %s: 400 invalid_request, nothing changes', async (_case, extra) => {
    const client = await registerOk(t, SERVICE);
    const body = extra === null ? {} : { ...SERVICE, client_id: client.clientId, client_uri: 'https://changed.example.com', ...extra };
    expectRegistrationError(await manage(client.uri, 'PUT', client.token, body), 400, 'invalid_request');
    const read = await manage(client.uri, 'GET', client.token);
    expect(read.body.client_uri).toBe('https://rp.example.com');
  });

  it('refuses invalid metadata in an update (invalid_client_metadata, invalid_redirect_uri) and keeps the token', async () => {
    const client = await registerOk(t, SERVICE);
    const base = { client_id: client.clientId, grant_types: ['client_credentials'] };
    expectRegistrationError(await manage(client.uri, 'PUT', client.token, { ...base, grant_types: ['password'] }), 400, 'invalid_client_metadata');
    expectRegistrationError(await manage(client.uri, 'PUT', client.token, { ...base, scope: 'admin' }), 400, 'invalid_client_metadata');
    expectRegistrationError(await manage(client.uri, 'PUT', client.token, { client_id: client.clientId, redirect_uris: ['javascript:x'] }), 400, 'invalid_redirect_uri');
    const notJson = await fetch(client.uri, { method: 'PUT', headers: { authorization: `Bearer ${client.token}`, 'content-type': 'text/plain' }, body: '{}' });
    expect(notJson.status).toBe(415);
    expect((await manage(client.uri, 'GET', client.token)).body).toMatchObject({ grant_types: ['client_credentials'], scope: 'posts:read' });
  });

  it('replaces the registration on PUT, rotates the token (the old one dies) and keeps the secret', async () => {
    const client = await registerOk(t, SERVICE);
    const res = await manage(client.uri, 'PUT', client.token, { client_id: client.clientId, client_secret: client.secret, grant_types: ['client_credentials'], client_name: 'Renamed' });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ client_id: client.clientId, client_name: 'Renamed', client_secret_expires_at: 0, client_id_issued_at: client.body.client_id_issued_at });
    expect(res.body).not.toHaveProperty('client_uri');
    expect(res.body).not.toHaveProperty('scope');
    expect(res.body).not.toHaveProperty('client_secret');
    const rotated = String(res.body.registration_access_token);
    expect(rotated).not.toBe(client.token);
    expectBearer401(await manage(client.uri, 'GET', client.token), 'invalid');
    expect((await manage(client.uri, 'GET', rotated)).body.client_name).toBe('Renamed');
    expectTokenResponse(await clientCredentials(client, client.secret!));
  });

  it('issues a secret when an update needs one it cannot reuse, and drops it for a public client', async () => {
    const native = await registerOk(t, { application_type: 'native', token_endpoint_auth_method: 'none', redirect_uris: ['http://127.0.0.1/cb'] });
    const confidential = await manage(native.uri, 'PUT', native.token, { client_id: native.clientId, grant_types: ['client_credentials'] });
    expect(confidential.status, confidential.text).toBe(200);
    expect(confidential.body).toMatchObject({ token_endpoint_auth_method: 'client_secret_basic', client_secret: expect.any(String), client_secret_expires_at: 0 });
    expectTokenResponse(await clientCredentials(native, String(confidential.body.client_secret)));

    const jwt = await manage(native.uri, 'PUT', String(confidential.body.registration_access_token), {
      client_id: native.clientId,
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_jwt',
    });
    expect(jwt.body.client_secret, 'client_secret_jwt needs the secret itself: a new one, since it was not presented').toEqual(expect.any(String));
    expect(jwt.body.client_secret).not.toBe(confidential.body.client_secret);
    const row = (await tableRows(t.app, 'ClientEntity')).find((candidate) => candidate.client_id === native.clientId)!;
    expect(row.secret_sealed).toEqual(expect.any(String));
    expect(JSON.stringify(row)).not.toContain(String(jwt.body.client_secret));

    const kept = await manage(native.uri, 'PUT', String(jwt.body.registration_access_token), {
      client_id: native.clientId,
      client_secret: jwt.body.client_secret,
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    expect(kept.body).not.toHaveProperty('client_secret');
    expectTokenResponse(await clientCredentials(native, String(jwt.body.client_secret)));

    const toPublic = await manage(native.uri, 'PUT', String(kept.body.registration_access_token), {
      client_id: native.clientId,
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1/cb'],
    });
    expect(toPublic.status, toPublic.text).toBe(200);
    expect(toPublic.body).not.toHaveProperty('client_secret_expires_at');
    expect((await clientCredentials(native, String(jwt.body.client_secret))).status).toBe(401);
  });

  it('lets exactly one of two concurrent updates with one token win', async () => {
    const client = await registerOk(t, SERVICE);
    const body = { client_id: client.clientId, grant_types: ['client_credentials'] };
    const answers = await Promise.all([manage(client.uri, 'PUT', client.token, body), manage(client.uri, 'PUT', client.token, body)]);
    expect(answers.map((res) => res.status).sort()).toEqual([200, 401]);
  });

  it("deletes on DELETE (204): the client, its tokens and grants are gone, its token with them (RFC 7592 section 2.3)", async () => {
    const client = await registerOk(t, { redirect_uris: [CB], grant_types: ['authorization_code', 'refresh_token', 'client_credentials'], scope: 'profile posts:read' });
    const access = expectTokenResponse(await clientCredentials(client, client.secret!)).access_token;
    const { verifier, challenge } = pkce();
    const params = { response_type: 'code', client_id: client.clientId, redirect_uri: CB, scope: 'profile', state: 's', code_challenge: challenge, code_challenge_method: 'S256' };
    const code = clientRedirect(await authorizeWithLogin(new TestBrowser(t), params), CB).get('code')!;
    const tokens = await postForm(`${t.url}/oauth/token`, { grant_type: 'authorization_code', code, redirect_uri: CB, code_verifier: verifier }, { authorization: basic(client.clientId, client.secret!) });
    const refresh = String(tokens.body.refresh_token);
    expect(await introspect(access)).toBe(true);

    const deleted = await manage(client.uri, 'DELETE', client.token);
    expect(deleted.status, deleted.text).toBe(204);
    expect(deleted.text).toBe('');
    expect(await introspect(access)).toBe(false);
    expect(await introspect(String(tokens.body.access_token))).toBe(false);
    expect(await introspect(refresh)).toBe(false);
    expect((await getMe(t.url, access)).status).toBe(401);
    expect((await clientCredentials(client, client.secret!)).status).toBe(401);
    expectBearer401(await manage(client.uri, 'GET', client.token), 'invalid');
    expectBearer401(await manage(client.uri, 'DELETE', client.token), 'invalid');
    const rows = async (entity: string) => (await tableRows(t.app, entity)).filter((row) => row.client_id === client.clientId).length;
    expect(await rows('ClientEntity')).toBe(0);
    expect(await rows('ConsentEntity')).toBe(0);
    expect(await rows('AuthorizationCodeEntity')).toBe(0);
  });
});
