import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMe, MeController } from '../support/app-helpers.js';
import { basic, postForm, type TestResponse } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { OIDC_SCOPES, oidcLogin, RP } from '../support/oidc-app.js';
import { TestAccountsModule } from '../support/test-accounts.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';
import { expectOAuthError } from '../token-endpoint/helpers.js';
import { expectBearer401, INITIAL_ACCESS_TOKEN, manage, registerOk, type Registered } from '../rfc7591/support.js';
import { ASSERTION_TYPE } from '../rfc7523/support/assertions.js';

const INTROSPECTOR = { clientId: 'confusion-rs', clientSecret: 'confusion-rs-secret-01', grantTypes: [], allowIntrospection: true };

/**
 * Token-type confusion (security checklist 25, 53, 95): every credential authnest hands out works only where it was
 * meant to. A registration access token is no refresh token, code, access token or revocable token; an ID token is
 * no client assertion; access and refresh tokens do not manage a registration; a client secret is no bearer token.
 */
describe.each(testMatrix())('token-type confusion on %s/%s', (platform, db) => {
  let t: TestApp;
  let client: Registered;
  let rp: { accessToken: string; refreshToken: string; idToken: string };

  const asClient = (form: Record<string, string>) => postForm(`${t.url}/oauth/token`, form, { authorization: basic(client.clientId, client.secret!) });
  const introspect = (token: string) => postForm(`${t.url}/oauth/introspect`, { token }, { authorization: basic(INTROSPECTOR.clientId, INTROSPECTOR.clientSecret) });
  const expectInactive = async (res: Promise<TestResponse>) => {
    const answer = await res;
    expect(answer.status, answer.text).toBe(200);
    expect(answer.text).toBe('{"active":false}');
  };

  beforeAll(async () => {
    t = await bootTestApp({
      platform,
      db,
      controllers: [MeController],
      imports: [TestAccountsModule],
      options: {
        scopes: OIDC_SCOPES,
        clients: [RP, INTROSPECTOR],
        registration: {
          mode: 'initial-access-token',
          initialAccessTokens: [INITIAL_ACCESS_TOKEN],
          grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
          rateLimit: { max: 1000, window: 900 },
        },
      },
    });
    client = await registerOk(t, { grant_types: ['client_credentials', 'refresh_token', 'authorization_code'], redirect_uris: ['https://reg.test/cb'], scope: 'profile' });
    const login = await oidcLogin(t, RP);
    rp = { accessToken: String(login.tokens.access_token), refreshToken: String(login.tokens.refresh_token), idToken: login.idToken };
  });
  afterAll(() => t?.close());

  it('never takes a registration access token for a refresh token, a code or an access token (checklist 25)', async () => {
    expectOAuthError(await asClient({ grant_type: 'refresh_token', refresh_token: client.token }), 400, 'invalid_grant');
    expectOAuthError(await asClient({ grant_type: 'authorization_code', code: client.token, redirect_uri: 'https://reg.test/cb', code_verifier: 'v'.repeat(43) }), 400, 'invalid_grant');
    expect((await getMe(t.url, client.token)).status).toBe(401);
    await expectInactive(introspect(client.token));
    // Revocation treats it as an unknown token: 200, and the registration token still manages the client.
    expect((await postForm(`${t.url}/oauth/revoke`, { token: client.token }, { authorization: basic(client.clientId, client.secret!) })).status).toBe(200);
    expect((await manage(client.uri, 'GET', client.token)).status).toBe(200);
  });

  it('never takes an ID token (or an access token) as a client assertion (checklist 25)', async () => {
    for (const assertion of [rp.idToken, rp.accessToken]) {
      const res = await postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials', client_id: RP.clientId, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion });
      expectOAuthError(res, 401, 'invalid_client');
      expect(res.text).not.toContain(assertion);
    }
  });

  it('manages a registration only with its registration access token: access, refresh and ID tokens are 401 (checklist 95)', async () => {
    const own = await asClient({ grant_type: 'client_credentials' });
    expect(own.status, own.text).toBe(200);
    for (const token of [String(own.body.access_token), rp.accessToken, rp.refreshToken, rp.idToken, INITIAL_ACCESS_TOKEN]) {
      expectBearer401(await manage(client.uri, 'GET', token), 'invalid');
    }
    expect((await manage(client.uri, 'GET', client.token)).status).toBe(200);
  });

  it('refuses an ID token, a refresh token and a client secret as bearer tokens at a guarded route (checklist 53)', async () => {
    for (const token of [rp.idToken, rp.refreshToken, RP.clientSecret!, client.secret!]) expect((await getMe(t.url, token)).status).toBe(401);
    expect((await getMe(t.url, rp.accessToken)).status).toBe(200);
  });
});
