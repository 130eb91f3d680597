import { APP_GUARD } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BearerAuthGuard } from '../../src/index.js';
import { basic, request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';
import { ApiController, CLIENT_CREDENTIALS, expectOAuthError, expectTokenResponse, tokenRequest } from './helpers.js';

const ASSERTION_ALGS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA', 'Ed25519', 'HS256', 'HS384', 'HS512'];

const METADATA_PATH = '/.well-known/oauth-authorization-server';

/** Authorization server metadata (RFC 8414): advertises exactly what this build implements. */
describe.each(testMatrix())('authorization server metadata on %s/%s', (platform, db) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootTestApp({
      platform,
      db,
      controllers: [ApiController],
      // A host app that guards everything by default: the protocol endpoints must stay reachable.
      providers: [{ provide: APP_GUARD, useExisting: BearerAuthGuard }],
      options: {
        scopes: ['orders:read', 'orders:write'],
        clients: [{ clientId: 'reader', clientSecret: 'reader-secret-00001', scopes: ['orders:read'] }],
      },
    });
  });
  afterAll(() => t?.close());

  it('is served as JSON at /.well-known/oauth-authorization-server (RFC 8414 section 3)', async () => {
    const res = await request(`${t.url}${METADATA_PATH}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json\b/);
  });

  it('advertises the issuer, endpoints, grants, client authentication methods and the scopes, nothing else', async () => {
    const { body } = await request(`${t.url}${METADATA_PATH}`);
    expect(body).toEqual({
      issuer: t.issuer,
      token_endpoint: `${t.issuer}/oauth/token`,
      jwks_uri: `${t.issuer}/oauth/jwks`,
      grant_types_supported: expect.arrayContaining(['client_credentials', 'authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code', 'urn:ietf:params:oauth:grant-type:jwt-bearer']),
      token_endpoint_auth_methods_supported: expect.arrayContaining(['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none']),
      // RFC 7523 assertions: asymmetric algorithms for private_key_jwt, HMAC for client_secret_jwt.
      token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
      revocation_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
      introspection_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
      authorization_endpoint: `${t.issuer}/oauth/authorize`,
      response_types_supported: ['code'],
      response_modes_supported: ['query', 'form_post'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      scopes_supported: ['orders:read', 'orders:write'],
      revocation_endpoint: `${t.issuer}/oauth/revoke`,
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'],
      introspection_endpoint: `${t.issuer}/oauth/introspect`,
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'],
      device_authorization_endpoint: `${t.issuer}/oauth/device_authorization`,
      // RFC 9126 section 5.
      pushed_authorization_request_endpoint: `${t.issuer}/oauth/par`,
      require_pushed_authorization_requests: false,
      // OpenID Connect Discovery 1.0 section 3 (the same document is served at /.well-known/openid-configuration).
      userinfo_endpoint: `${t.issuer}/oauth/userinfo`,
      end_session_endpoint: `${t.issuer}/oauth/logout`,
      subject_types_supported: ['public', 'pairwise'],
      id_token_signing_alg_values_supported: ['ES256'],
      claims_supported: expect.arrayContaining(['sub', 'iss', 'auth_time', 'nonce', 'acr', 'amr', 'sid', 'name', 'email', 'address', 'phone_number']),
      claim_types_supported: ['normal'],
      claims_parameter_supported: true,
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
      prompt_values_supported: ['none', 'login', 'consent'],
      ui_locales_supported: ['en'],
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
      frontchannel_logout_supported: false,
    });
    expect(body.grant_types_supported).toHaveLength(5);
    expect(body.token_endpoint_auth_methods_supported).toHaveLength(5);
  });

  it('advertises no endpoint or feature this build lacks', async () => {
    const { body } = await request(`${t.url}${METADATA_PATH}`);
    for (const absent of [
      'registration_endpoint',
      'dpop_signing_alg_values_supported',
      'request_object_signing_alg_values_supported',
      'userinfo_signing_alg_values_supported',
      'frontchannel_logout_session_supported',
      'check_session_iframe',
    ]) {
      expect(body, absent).not.toHaveProperty(absent);
    }
    expect(JSON.stringify(body)).not.toContain('secret-');
  });

  it('names URLs under the issuer that this app really serves at those paths', async () => {
    const { body } = await request(`${t.url}${METADATA_PATH}`);
    const served = (url: unknown) => `${t.url}${new URL(String(url)).pathname}`;
    for (const url of [body.token_endpoint, body.jwks_uri]) expect(String(url).startsWith(`${t.issuer}/`)).toBe(true);
    const jwks = await request(served(body.jwks_uri));
    expect(jwks.status).toBe(200);
    expect(Array.isArray(jwks.body.keys)).toBe(true);
    const token = await request(served(body.token_endpoint), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('reader', 'reader-secret-00001') },
      body: new URLSearchParams(CLIENT_CREDENTIALS).toString(),
    });
    expectTokenResponse(token);
  });

  it('keeps metadata, JWKS and the token endpoint public under a global BearerAuthGuard, and still guards the host routes', async () => {
    expect((await request(`${t.url}${METADATA_PATH}`)).status).toBe(200);
    expect((await request(`${t.url}/oauth/jwks`)).status).toBe(200);
    expectOAuthError(await tokenRequest(t, CLIENT_CREDENTIALS), 401, 'invalid_client');
    const guarded = await request(`${t.url}/api/any`);
    expect(guarded.status).toBe(401);
    expect(guarded.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
  });
});
