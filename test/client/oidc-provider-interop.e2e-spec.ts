import type { INestApplication } from '@nestjs/common';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OAuthClientError, OAuthClientModule, OAuthClients } from '../../src/index.js';
import { TestBrowser } from '../support/authorization-flow.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock, freshDatabase, TEST_SECRET } from '../support/test-app.js';
import { bootClientApp } from './support/client-app.js';
import { bootLoginApp, freePort } from './support/login-app.js';
import { followWithin, formFields, OP_ACCOUNT, OP_CLIENTS, signInAtProvider, startOidcProvider, type OidcProviderServer } from './support/oidc-provider-server.js';

/**
 * Interop of authnest's OAuth client with a server nobody here wrote: node-oidc-provider 9 (in this process, its
 * issuer its real URL). Discovery (OpenID Connect Discovery 1.0), client_credentials (RFC 6749 section 4.4) with
 * `client_secret_basic` and `client_secret_post`, its refusals by code, and the browser login through `OAuthLogin`
 * at its devInteractions pages: S256 PKCE (required there), `iss` (RFC 9207), its ID token against its JWKS,
 * UserInfo, and RP-initiated logout through its end_session endpoint and logout confirmation form.
 */
describe.each(testMatrix())('OAuth client: interop with node-oidc-provider on %s/%s', (platform, db) => {
  let op: OidcProviderServer;
  let appUrl: string;
  let loginApp: INestApplication;
  let clientApp: INestApplication;
  let clients: OAuthClients;
  let dropStore: () => Promise<void>;
  const clock = new FakeClock();

  beforeAll(async () => {
    const port = await freePort();
    appUrl = `http://127.0.0.1:${port}`;
    op = await startOidcProvider(appUrl);
    const store = freshDatabase(db);
    dropStore = store.drop;
    loginApp = await bootLoginApp(platform, port, {
      providers: {
        provider: {
          issuer: op.url,
          clientId: OP_CLIENTS.web.id,
          clientSecret: OP_CLIENTS.web.secret,
          login: { redirectUri: `${appUrl}/callback`, postLogoutRedirectUri: `${appUrl}/` },
        },
      },
      database: store.database,
      encryptionSecret: TEST_SECRET,
    });
    clientApp = await bootClientApp(
      platform,
      OAuthClientModule.forRoot({
        providers: {
          basic: { issuer: op.url, clientId: OP_CLIENTS.basic.id, clientSecret: OP_CLIENTS.basic.secret, scopes: ['api:read'] },
          posting: { issuer: op.url, clientId: OP_CLIENTS.post.id, clientSecret: OP_CLIENTS.post.secret, authMethod: 'client_secret_post' },
          wrong: { issuer: op.url, clientId: OP_CLIENTS.basic.id, clientSecret: 'not-the-secret-0123456789' },
          unknown: { issuer: op.url, clientId: 'nobody', clientSecret: OP_CLIENTS.basic.secret },
        },
      }),
      { clock },
    );
    clients = clientApp.get(OAuthClients);
  });
  afterAll(async () => {
    await clientApp?.close();
    await loginApp?.close();
    await op?.close();
    await dropStore?.();
  });
  afterEach(() => {
    expect(op.serverErrors).toEqual([]);
  });

  it("discovers node-oidc-provider's metadata (OpenID Connect Discovery) with its own endpoint paths", async () => {
    const metadata = await clients.get('basic').metadata();
    expect(metadata.issuer).toBe(op.url);
    expect(metadata.endpoints).toEqual({
      token: `${op.url}/token`,
      authorization: `${op.url}/auth`,
      userinfo: `${op.url}/me`,
      jwks: `${op.url}/jwks`,
      revocation: `${op.url}/token/revocation`,
    });
    expect(metadata.document).toMatchObject({
      end_session_endpoint: `${op.url}/session/end`,
      authorization_response_iss_parameter_supported: true,
      code_challenge_methods_supported: ['S256'],
    });
    expect(await clients.get('basic').endpoint('token')).toBe(`${op.url}/token`);
  });

  it('gets client_credentials tokens with client_secret_basic, cached and renewed refreshSkew seconds before expiry', async () => {
    op.tokenRequests.length = 0;
    const client = clients.get('basic');
    const tokens = await Promise.all(Array.from({ length: 5 }, () => client.clientCredentials()));
    expect(new Set(tokens)).toEqual(new Set([tokens[0]]));
    expect(tokens[0]).toMatchObject({ tokenType: 'Bearer', scopes: ['api:read'], accessToken: expect.any(String) });
    expect(await client.clientCredentials()).toBe(tokens[0]);
    expect(op.tokenRequests).toEqual([{ status: 200, clientId: OP_CLIENTS.basic.id, basic: true }]);
    // node-oidc-provider's ClientCredentials TTL here is 600 s.
    clock.advance(600 - 31);
    expect(await client.clientCredentials()).toBe(tokens[0]);
    clock.advance(2);
    const renewed = await client.clientCredentials();
    expect(renewed.accessToken).not.toBe(tokens[0]!.accessToken);
    const both = await client.clientCredentials({ scopes: ['api:read', 'api:write'] });
    expect(both.scopes.sort()).toEqual(['api:read', 'api:write']);
    expect(op.tokenRequests).toHaveLength(3);
  });

  it('gets a client_credentials token with client_secret_post (the method the provider registered for it)', async () => {
    op.tokenRequests.length = 0;
    const client = clients.get('posting');
    const token = await client.clientCredentials({ scopes: ['api:write'] });
    expect(token).toMatchObject({ tokenType: 'Bearer', scopes: ['api:write'] });
    expect(token.expiresAt).toBe(clock.now() + 600_000);
    expect(await client.clientCredentials({ scopes: ['api:write'] })).toBe(token);
    expect(op.tokenRequests).toEqual([{ status: 200, clientId: OP_CLIENTS.post.id, basic: false }]);
  });

  it("surfaces node-oidc-provider's refusals as OAuthClientError: invalid_client (wrong secret, unknown client), invalid_scope", async () => {
    const wrong = await clients.get('wrong').clientCredentials().catch((error: unknown) => error);
    expect(wrong).toBeInstanceOf(OAuthClientError);
    expect(wrong).toMatchObject({ provider: 'wrong', code: 'invalid_client', status: 401 });
    expect(String((wrong as Error).message)).not.toContain('not-the-secret');
    await expect(clients.get('unknown').clientCredentials()).rejects.toMatchObject({ code: 'invalid_client', status: 401 });
    // A scope the provider knows but did not allow this client (scopes it does not know it drops silently).
    await expect(clients.get('basic').clientCredentials({ scopes: ['api:admin'] })).rejects.toMatchObject({ code: 'invalid_scope', status: 400 });
  });

  /** A browser for the provider's pages and the client app (one cookie jar, as a real browser has). */
  const browser = () => new TestBrowser({ url: op.url, issuer: op.url });

  /** From the app's /login through the provider's pages to the app's callback; resolves the callback's URL. */
  async function loginAtProvider(b: TestBrowser, returnTo = '/me'): Promise<{ authorize: URL; callback: URL }> {
    const start = await b.get(`${appUrl}/login?returnTo=${encodeURIComponent(returnTo)}`);
    expect(start.status, start.text).toBe(303);
    const authorize = new URL(start.headers.get('location')!);
    const back = await signInAtProvider(b, op.url, authorize.href);
    return { authorize, callback: new URL(back.headers.get('location')!) };
  }

  it('signs alice in at its devInteractions pages: S256 PKCE, iss, its ID token and UserInfo; /me shows her', async () => {
    const b = browser();
    expect((await b.get(`${appUrl}/me`)).status).toBe(401);
    const { authorize, callback } = await loginAtProvider(b);
    expect(authorize.origin + authorize.pathname).toBe(`${op.url}/auth`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: OP_CLIENTS.web.id,
      redirect_uri: `${appUrl}/callback`,
      scope: 'openid profile email',
      code_challenge_method: 'S256',
    });
    expect(callback.origin + callback.pathname).toBe(`${appUrl}/callback`);
    expect(callback.searchParams.get('iss')).toBe(op.url);
    expect(callback.searchParams.get('state')).toBe(authorize.searchParams.get('state'));
    const done = await b.get(callback.href);
    expect(done.status, done.text).toBe(303);
    expect(done.headers.get('location')).toBe('/me');
    const me = await b.get(`${appUrl}/me`);
    expect(me.status, me.text).toBe(200);
    // sub from the ID token; name and email only from UserInfo (node-oidc-provider keeps them out of the ID token).
    expect(me.body).toEqual({ provider: 'provider', sub: OP_ACCOUNT.id, name: OP_ACCOUNT.name, email: OP_ACCOUNT.email });
  });

  it("refuses a callback with another or no iss (node-oidc-provider announces it sends iss), and a replayed one", async () => {
    const b = browser();
    const { callback } = await loginAtProvider(b);
    const evil = new URL(callback);
    evil.searchParams.set('iss', 'https://evil.example');
    expect((await b.get(evil.href)).body).toEqual({ error: 'invalid_issuer' });
    const again = await loginAtProvider(b); // signed in and consented at the provider already: straight back
    const without = new URL(again.callback);
    without.searchParams.delete('iss');
    expect((await b.get(without.href)).body).toEqual({ error: 'invalid_issuer' });
    expect((await b.get(again.callback.href)).body).toEqual({ error: 'invalid_state' }); // the attempt was used up
    expect((await b.get(`${appUrl}/me`)).status).toBe(401);
    const third = await loginAtProvider(b);
    expect((await b.get(third.callback.href)).status).toBe(303);
    expect((await b.get(`${appUrl}/me`)).status).toBe(200);
  });

  it('brings back a cancel at its login page as access_denied (with iss), and starts no session', async () => {
    const b = browser();
    const start = await b.get(`${appUrl}/login`);
    const page = await followWithin(b, op.url, await b.get(start.headers.get('location')!));
    expect(formFields(page.text).fields.prompt).toBe('login');
    const cancel = /<a href="([^"]+)">\[ Cancel \]<\/a>/.exec(page.text)?.[1];
    expect(cancel, page.text).toBeDefined();
    const back = await followWithin(b, op.url, await b.get(new URL(cancel!, op.url).href));
    const callback = new URL(back.headers.get('location')!);
    expect(callback.origin + callback.pathname).toBe(`${appUrl}/callback`);
    expect(Object.fromEntries(callback.searchParams)).toMatchObject({ error: 'access_denied', iss: op.url });
    const done = await b.get(callback.href);
    expect([done.status, done.body]).toEqual([400, { error: 'access_denied' }]);
    expect((await b.get(`${appUrl}/me`)).status).toBe(401);
  });

  it('logs out through its end_session endpoint: the confirmation form, then back to the post-logout redirect URI', async () => {
    const b = browser();
    const { callback } = await loginAtProvider(b);
    expect((await b.get(callback.href)).status).toBe(303);
    expect((await b.get(`${appUrl}/me`)).status).toBe(200);
    const out = await b.post(`${appUrl}/logout`, {});
    expect(out.status, out.text).toBe(303);
    const endSession = new URL(out.headers.get('location')!);
    expect(endSession.origin + endSession.pathname).toBe(`${op.url}/session/end`);
    expect(Object.fromEntries(endSession.searchParams)).toMatchObject({
      client_id: OP_CLIENTS.web.id,
      post_logout_redirect_uri: `${appUrl}/`,
      id_token_hint: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
    });
    // The ID token the callback validated: signed by one of node-oidc-provider's own keys (RS256, its default).
    const idToken = endSession.searchParams.get('id_token_hint')!;
    const { keys } = (await (await fetch(`${op.url}/jwks`)).json()) as { keys: { kid: string }[] };
    expect(keys).toHaveLength(2);
    expect(decodeProtectedHeader(idToken)).toMatchObject({ alg: 'RS256', kid: keys.find((key) => key.kid.startsWith('rs256'))!.kid });
    expect(decodeJwt(idToken)).toMatchObject({ iss: op.url, aud: OP_CLIENTS.web.id, sub: OP_ACCOUNT.id, nonce: expect.any(String) });
    expect(decodeJwt(idToken).email).toBeUndefined();
    expect((await b.get(`${appUrl}/me`)).status).toBe(401);
    const confirm = await b.get(endSession.href);
    expect(confirm.status, confirm.text).toBe(200);
    const form = formFields(confirm.text);
    expect(form.fields).toEqual({ xsrf: expect.any(String) });
    const back = await b.post(new URL(form.action, op.url).href, { ...form.fields, logout: 'yes' });
    expect([302, 303], back.text).toContain(back.status);
    expect(back.headers.get('location')).toBe(`${appUrl}/`);
    // Signed out at the provider too: the next login asks for the login form again.
    const start = await b.get(`${appUrl}/login`);
    const page = await b.get(new URL(start.headers.get('location')!).href);
    const interaction = await b.get(new URL(page.headers.get('location')!, op.url).href);
    expect(formFields(interaction.text).fields.prompt).toBe('login');
  });
});
