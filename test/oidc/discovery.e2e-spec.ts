import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, authorizeWithLogin, clientRedirect, pkce, TestBrowser } from '../support/authorization-flow.js';
import { postForm, request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp, OIDC_SCOPES, oidcLogin, oidcRequest, redeemCode, RP } from '../support/oidc-app.js';
import { TEST_SECRET, type TestApp } from '../support/test-app.js';
import { rawGet, verifyIdToken } from './support/id-token-helpers.js';

const STANDARD_CLAIMS = [
  'sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'acr', 'amr', 'at_hash', 'sid',
  'name', 'family_name', 'given_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website',
  'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at', 'email', 'email_verified', 'address', 'phone_number',
  'phone_number_verified',
];

const ENDPOINTS = ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri', 'end_session_endpoint', 'revocation_endpoint', 'introspection_endpoint'];

async function metadataOf(t: TestApp, path = '/.well-known/openid-configuration'): Promise<Record<string, unknown>> {
  const res = await request(`${t.url}${path}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return res.body;
}

/**
 * Discovery (OpenID Connect Discovery 1.0 sections 3 and 4, RFC 8414 sections 2 and 3; checklist 87 and 88): one
 * document at both well-known URLs; `issuer` is the `iss` of ID tokens, access tokens and authorization responses;
 * every endpoint is under the issuer and really served; only what is implemented is advertised (`code` only, no
 * request_uri, the one configured signing algorithm and never `none`); spoofed Host headers change nothing.
 */
describe.each(testMatrix())('discovery on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootOidcApp(platform, db);
  });
  afterAll(() => t?.close());

  it('serves the same JSON at /.well-known/openid-configuration and /.well-known/oauth-authorization-server', async () => {
    const openid = await metadataOf(t);
    expect(await metadataOf(t, '/.well-known/oauth-authorization-server')).toEqual(openid);
    expect(openid.issuer).toBe(t.issuer);
    expect(String(openid.issuer)).not.toMatch(/[?#]|\/$/);
  });

  it('issuer is the iss of the ID token, of the access token and of the authorization response (87)', async () => {
    const { issuer } = await metadataOf(t);
    const { verifier, challenge } = pkce();
    const done = await authorizeWithLogin(new TestBrowser(t), oidcRequest(RP, challenge));
    const response = clientRedirect(done, 'https://rp.test/cb');
    expect(response.get('iss')).toBe(issuer);
    const tokens = await redeemCode(t, RP, response.get('code')!, verifier);
    expect(tokens.status, tokens.text).toBe(200);
    expect((await verifyIdToken(t, tokens.body.id_token as string, 'rp')).payload.iss).toBe(issuer);
    expect(decodeJwt(tokens.body.access_token as string).iss).toBe(issuer);
    const error = await request(`${t.url}${authorizePath(oidcRequest(RP, challenge, { prompt: 'none' }))}`);
    expect(clientRedirect(error, 'https://rp.test/cb').get('iss')).toBe(issuer);
  });

  it('every endpoint URL is under the issuer and really served', async () => {
    const doc = await metadataOf(t);
    const local = (name: string) => {
      const url = String(doc[name]);
      expect(url.startsWith(`${t.issuer}/`), `${name}: ${url}`).toBe(true);
      return `${t.url}${url.slice(t.issuer.length)}`;
    };
    for (const name of ENDPOINTS) local(name);
    const jwks = await request(local('jwks_uri'));
    expect(jwks.status).toBe(200);
    expect((jwks.body.keys as { kid: string }[]).map((key) => key.kid)).toEqual([expect.any(String)]);
    const authorizePage = await request(local('authorization_endpoint'));
    expect([authorizePage.status, authorizePage.headers.get('content-type')]).toEqual([400, 'text/html; charset=utf-8']);
    const token = await postForm(local('token_endpoint'), {});
    expect(token.status).toBe(400);
    expect(token.body.error).toEqual(expect.any(String));
    const info = await request(local('userinfo_endpoint'));
    expect([info.status, info.headers.get('www-authenticate')]).toEqual([401, `Bearer realm="${t.issuer}"`]);
    const logout = await request(local('end_session_endpoint'));
    expect([logout.status, logout.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    for (const name of ['revocation_endpoint', 'introspection_endpoint']) {
      const res = await postForm(local(name), { token: 'x' });
      expect([res.status, res.body.error], name).toEqual([401, 'invalid_client']);
    }
    // The login the authorization endpoint starts is served too.
    const login = await oidcLogin(t, RP);
    expect(login.claims.iss).toBe(doc.issuer);
  });

  it('advertises only what is implemented: code, S256, iss, no request objects, ES256 and never none (87, 88)', async () => {
    const doc = await metadataOf(t);
    expect(doc).toMatchObject({
      response_types_supported: ['code'],
      response_modes_supported: ['query', 'form_post'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      id_token_signing_alg_values_supported: ['ES256'],
      subject_types_supported: ['public', 'pairwise'],
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
      claims_parameter_supported: true,
      scopes_supported: OIDC_SCOPES,
    });
    expect(doc.grant_types_supported).not.toContain('password');
    expect(doc.grant_types_supported).not.toContain('implicit');
    expect(doc.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token']));
    for (const [name, value] of Object.entries(doc)) if (name.endsWith('_alg_values_supported')) expect(value, name).not.toContain('none');
  });

  it('claims_supported holds the ID token claims and every standard claim of the scopes', async () => {
    const doc = await metadataOf(t);
    expect(doc.claims_supported).toEqual(expect.arrayContaining(STANDARD_CLAIMS));
    expect(new Set(doc.claims_supported as string[]).size).toBe((doc.claims_supported as string[]).length);
    expect(doc.claims_supported).not.toContain('department');
  });

  it('Host, X-Forwarded-Host, X-Forwarded-Proto and Forwarded spoofing change nothing (87, 100)', async () => {
    const reference = await metadataOf(t);
    const spoofs: Record<string, string>[] = [
      { host: 'evil.test' },
      { 'x-forwarded-host': 'evil.test', 'x-forwarded-proto': 'https' },
      { host: 'evil.test', 'x-forwarded-host': 'evil.test', forwarded: 'host=evil.test;proto=https' },
    ];
    for (const headers of spoofs) {
      for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
        const res = await rawGet(`${t.url}${path}`, headers);
        expect(res.status).toBe(200);
        expect(res.body, JSON.stringify(headers)).toEqual(reference);
      }
      const start = await rawGet(`${t.url}${authorizePath(oidcRequest(RP, pkce().challenge))}`, headers);
      expect(start.status).toBe(303);
      expect(start.location).toMatch(new RegExp(`^${t.issuer.replace(/\./g, '\\.')}/oauth/interaction/[A-Za-z0-9_-]{43}$`));
      const error = await rawGet(`${t.url}${authorizePath(oidcRequest(RP, pkce().challenge, { prompt: 'none' }))}`, headers);
      expect(new URL(error.location!).searchParams.get('iss')).toBe(t.issuer);
    }
  });
});

/** The configured signing algorithm is the only one advertised, and `oidc.scopeClaims` appear in claims_supported. */
describe.each(testMatrix())('discovery of a configured server on %s/%s', (platform, db) => {
  let t: TestApp;
  const EMPLOYEE = 'https://example.com/employee';
  beforeAll(async () => {
    t = await bootOidcApp(platform, db, {
      options: {
        scopes: [...OIDC_SCOPES, EMPLOYEE],
        signing: { algorithm: 'EdDSA', encryptionSecret: TEST_SECRET },
        oidc: { scopeClaims: { [EMPLOYEE]: ['department', 'cost_center'], email: ['email', 'email_verified', 'work_email'] } },
      },
    });
  });
  afterAll(() => t?.close());

  it('id_token_signing_alg_values_supported is exactly [EdDSA], the alg of the ID token', async () => {
    const doc = await metadataOf(t);
    expect(doc.id_token_signing_alg_values_supported).toEqual(['EdDSA']);
    const login = await oidcLogin(t, RP);
    expect((await verifyIdToken(t, login.idToken, 'rp')).header.alg).toBe('EdDSA');
  });

  it('claims_supported adds the claims of oidc.scopeClaims to the standard ones', async () => {
    const doc = await metadataOf(t);
    expect(doc.scopes_supported).toContain(EMPLOYEE);
    expect(doc.claims_supported).toEqual(expect.arrayContaining([...STANDARD_CLAIMS, 'department', 'cost_center', 'work_email']));
    expect(await metadataOf(t, '/.well-known/oauth-authorization-server')).toEqual(doc);
  });
});
