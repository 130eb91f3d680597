import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMe } from '../support/app-helpers.js';
import { authorizeWithLogin, clientRedirect, formOf, pkce, sha256, tableRows, TestBrowser } from '../support/authorization-flow.js';
import { basic, postForm, request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { expectNoStore, expectTokenResponse } from '../token-endpoint/helpers.js';
import { bootRegistrationApp, INTROSPECTOR, register, registerOk } from './support.js';

const REDIRECT = 'https://rp.example.com/callback';

/**
 * Dynamic client registration (RFC 7591 section 3): what a registration answers, and that the registered client
 * then really works at the token and authorization endpoints.
 */
describe.each(testMatrix())('client registration on %s/%s', (platform, db) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootRegistrationApp(platform, db);
  });
  afterAll(() => t?.close());

  it('answers 201 with a server-assigned client_id, a secret shown once and a registration access token (RFC 7591 section 3.2.1)', async () => {
    const res = await register(t, {
      client_name: 'Authlib',
      client_id: 'static-web',
      client_secret: 'chosen-by-me',
      client_id_issued_at: 1,
      scope: 'profile',
      redirect_uris: [REDIRECT],
    });
    expect(res.status, res.text).toBe(201);
    expectNoStore(res);
    const body = res.body;
    expect(body.client_id).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(body.client_id).not.toBe('static-web');
    expect(body.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.client_secret).not.toBe('chosen-by-me');
    expect(body).toMatchObject({
      client_name: 'Authlib',
      client_secret_expires_at: 0,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [REDIRECT],
      scope: 'profile',
      application_type: 'web',
      subject_type: 'public',
      id_token_signed_response_alg: 'ES256',
      registration_client_uri: `${t.issuer}/oauth/register/${String(body.client_id)}`,
    });
    expect(body.client_id_issued_at).toEqual(expect.any(Number));
    expect(Math.abs(Number(body.client_id_issued_at) - Date.now() / 1000)).toBeLessThan(600);
    expect(body.registration_access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The static client of the same id is untouched.
    const staticToken = await postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic('static-web', 'static-secret-0001') });
    expect(staticToken.status).toBe(200);
  });

  it('needs redirect_uris for the default authorization_code grant (OAuth 2.1 section 2.3.1; Authlib registers none)', async () => {
    const res = await register(t, { client_name: 'Authlib' });
    expect(res.status, res.text).toBe(400);
    expect(res.body.error).toBe('invalid_redirect_uri');
  });

  it('echoes registered metadata, keeps unknown members out and never returns the secret again', async () => {
    const created = await registerOk(t, {
      redirect_uris: [REDIRECT],
      client_uri: 'https://rp.example.com',
      logo_uri: 'https://rp.example.com/logo.png',
      tos_uri: 'https://rp.example.com/tos',
      policy_uri: 'https://rp.example.com/privacy',
      contacts: ['ops@rp.example.com'],
      software_id: 'rp-app',
      software_version: '1.2.3',
      post_logout_redirect_uris: ['https://rp.example.com/bye'],
      'client_name#fr': 'Appli',
      extension_member: { anything: true },
    });
    expect(created.body).toMatchObject({
      redirect_uris: [REDIRECT],
      client_uri: 'https://rp.example.com',
      logo_uri: 'https://rp.example.com/logo.png',
      tos_uri: 'https://rp.example.com/tos',
      policy_uri: 'https://rp.example.com/privacy',
      contacts: ['ops@rp.example.com'],
      software_id: 'rp-app',
      software_version: '1.2.3',
      post_logout_redirect_uris: ['https://rp.example.com/bye'],
    });
    expect(created.body).not.toHaveProperty('client_name#fr');
    expect(created.body).not.toHaveProperty('extension_member');
    expect(created.body).not.toHaveProperty('scope');
    const read = await request(created.uri, { headers: { authorization: `Bearer ${created.token}` } });
    expect(read.status, read.text).toBe(200);
    expect(read.body).not.toHaveProperty('client_secret');
    const { client_secret: _secret, ...withoutSecret } = created.body;
    expect(read.body).toEqual(withoutSecret);
  });

  it('gives a client_credentials client tokens with the returned secret, by Basic and by post as registered', async () => {
    const basicClient = await registerOk(t, { grant_types: ['client_credentials'], scope: 'posts:read' });
    expect(basicClient.body.response_types).toEqual([]);
    const token = expectTokenResponse(
      await postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials', scope: 'posts:read' }, { authorization: basic(basicClient.clientId, basicClient.secret!) }),
    );
    expect(token.scope).toBe('posts:read');
    const me = await getMe(t.url, token.access_token);
    expect(me.body).toMatchObject({ clientId: basicClient.clientId, sub: basicClient.clientId, scopes: ['posts:read'] });
    const wrongMethod = await postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials', client_id: basicClient.clientId, client_secret: basicClient.secret! });
    expect(wrongMethod.status).toBe(401);

    const postClient = await registerOk(t, { grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_post' });
    const posted = await postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials', client_id: postClient.clientId, client_secret: postClient.secret! });
    expectTokenResponse(posted);
    // A registered client is never an introspector.
    const introspect = await postForm(`${t.url}/oauth/introspect`, { token: token.access_token }, { authorization: basic(basicClient.clientId, basicClient.secret!) });
    expect(introspect.status).toBe(403);
  });

  it('runs the authorization code flow to its registered redirect URI, always through the consent page, name escaped', async () => {
    const created = await registerOk(t, {
      client_name: '<img src=x onerror=alert(1)>',
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      scope: 'profile email',
    });
    const { verifier, challenge } = pkce();
    const params = { response_type: 'code', client_id: created.clientId, redirect_uri: REDIRECT, scope: 'profile', state: 's1', code_challenge: challenge, code_challenge_method: 'S256' };
    const browser = new TestBrowser(t);
    const login = await browser.follow(await browser.get(`/oauth/authorize?${new URLSearchParams(params).toString()}`));
    const loginForm = formOf(login.text);
    const afterLogin = await browser.post(loginForm.action, { csrf: loginForm.csrf, username: 'alice', password: 'alice-password' });
    const consent = await browser.follow(afterLogin);
    for (const page of [login, consent]) {
      expect(page.text).toContain('&#60;img src=x onerror=alert(1)&#62;');
      expect(page.text).not.toContain('<img src=x');
    }
    const consentForm = formOf(consent.text);
    const done = await browser.post(consentForm.action, { csrf: consentForm.csrf, decision: 'approve' });
    const code = clientRedirect(done, REDIRECT).get('code')!;
    const tokens = await postForm(
      `${t.url}/oauth/token`,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
      { authorization: basic(created.clientId, created.secret!) },
    );
    expect(tokens.status, tokens.text).toBe(200);
    expect(tokens.body).toMatchObject({ scope: 'profile', refresh_token: expect.any(String) });
    const me = await getMe(t.url, tokens.body.access_token as string);
    expect(me.body).toMatchObject({ sub: 'user-alice', clientId: created.clientId });
  });

  it('registers a public native client (none) whose code flow needs PKCE and no secret', async () => {
    const redirect = 'com.example.app:/oauth2redirect';
    const created = await registerOk(t, { application_type: 'native', token_endpoint_auth_method: 'none', redirect_uris: [redirect, 'http://127.0.0.1/cb'] });
    expect(created.secret).toBeUndefined();
    expect(created.body).not.toHaveProperty('client_secret_expires_at');
    const { verifier, challenge } = pkce();
    const done = await authorizeWithLogin(new TestBrowser(t), {
      response_type: 'code',
      client_id: created.clientId,
      redirect_uri: redirect,
      state: 's2',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const code = clientRedirect(done, redirect).get('code')!;
    const tokens = await postForm(`${t.url}/oauth/token`, { grant_type: 'authorization_code', code, redirect_uri: redirect, code_verifier: verifier, client_id: created.clientId });
    expect(tokens.status, tokens.text).toBe(200);
  });

  it('stores neither the secret nor the registration access token, only their hashes (checklist 80, 81)', async () => {
    const created = await registerOk(t, { grant_types: ['client_credentials'] });
    const rows = await tableRows(t.app, 'ClientEntity');
    const row = rows.find((candidate) => candidate.client_id === created.clientId)!;
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(created.secret!);
    expect(dump).not.toContain(created.token);
    expect(row.registration_token_hash).toBe(sha256(created.token));
    expect(String(row.secret_hash)).toMatch(/^scrypt\$15\$8\$1\$/);
    expect(row.secret_sealed).toBeNull();
    // The stored values are not credentials.
    const byHash = await postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(created.clientId, String(row.secret_hash)) });
    expect(byHash.status).toBe(401);
    const read = await request(created.uri, { headers: { authorization: `Bearer ${String(row.registration_token_hash)}` } });
    expect(read.status).toBe(401);
  });

  it('lists registration_endpoint in both metadata documents', async () => {
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const res = await request(`${t.url}${path}`);
      expect(res.body.registration_endpoint).toBe(`${t.issuer}/oauth/register`);
    }
  });

  it('answers GET on the registration endpoint with 405 and tokens of registered clients introspect as theirs', async () => {
    const res = await request(`${t.url}/oauth/register`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    const created = await registerOk(t, { grant_types: ['client_credentials'] });
    const token = expectTokenResponse(await postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(created.clientId, created.secret!) }));
    const introspection = await postForm(`${t.url}/oauth/introspect`, { token: token.access_token }, { authorization: basic(INTROSPECTOR.clientId, INTROSPECTOR.clientSecret!) });
    expect(introspection.body).toMatchObject({ active: true, client_id: created.clientId });
  });
});

describe.each(testMatrix())('registration disabled (the default) on %s/%s', (platform, db) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootRegistrationApp(platform, db, { registration: {} });
  });
  afterAll(() => t?.close());

  it('has no registration endpoint and says none in the metadata', async () => {
    const res = await register(t, { client_name: 'x' });
    expect(res.status).toBe(404);
    const metadata = await request(`${t.url}/.well-known/openid-configuration`);
    expect(metadata.body).not.toHaveProperty('registration_endpoint');
    const configuration = await request(`${t.url}/oauth/register/static-web`, { headers: { authorization: 'Bearer abc' } });
    expect(configuration.status).toBe(404);
  });
});
