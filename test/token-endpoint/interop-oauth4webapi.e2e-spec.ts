import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';
import { ApiController } from './helpers.js';

/**
 * Interop with oauth4webapi, a strict RFC client: discovery from the metadata endpoint (RFC 8414), then
 * client_credentials with ClientSecretBasic and ClientSecretPost, then a guarded route with the token.
 */
describe.each(testMatrix())('interop with oauth4webapi on %s/%s', (platform, db) => {
  /** A secret with the characters whose Basic encoding (RFC 6749 Appendix B) clients get wrong. */
  const BASIC = { client_id: 'interop-basic', secret: 'b4sic:s3cret+with %percent\u00e9' };
  const POST = { client_id: 'interop-post', secret: 'p0st&secret=with+plus %25' };
  let t: TestApp;
  let issuer: URL;
  /** Options for every oauth4webapi call: plain http on loopback, and the issuer's origin routed to the app. */
  let options: { [oauth.allowInsecureRequests]: true; [oauth.customFetch]: typeof fetch };

  beforeAll(async () => {
    t = await bootTestApp({
      platform,
      db,
      controllers: [ApiController],
      options: {
        scopes: ['a', 'b'],
        clients: [
          { clientId: BASIC.client_id, clientSecret: BASIC.secret, scopes: ['a'] },
          { clientId: POST.client_id, clientSecret: POST.secret, scopes: ['a', 'b'], authMethods: ['client_secret_post'] },
        ],
      },
    });
    issuer = new URL(t.issuer);
    // The harness's issuer is http://127.0.0.1 (port 80) while the app listens on a random port: like a
    // reverse proxy at the issuer's address, send requests for the issuer's origin to the app.
    const appOrigin = new URL(t.url).origin;
    options = {
      [oauth.allowInsecureRequests]: true,
      [oauth.customFetch]: (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        if (url.origin === issuer.origin) url.host = new URL(appOrigin).host;
        return fetch(url, init);
      },
    };
  });
  afterAll(() => t?.close());

  async function discover(): Promise<oauth.AuthorizationServer> {
    const response = await oauth.discoveryRequest(issuer, { ...options, algorithm: 'oauth2' });
    return oauth.processDiscoveryResponse(issuer, response);
  }

  async function clientCredentials(
    as: oauth.AuthorizationServer,
    clientId: string,
    auth: oauth.ClientAuth,
    scope: string,
  ): Promise<oauth.TokenEndpointResponse> {
    const client: oauth.Client = { client_id: clientId };
    const response = await oauth.clientCredentialsGrantRequest(as, client, auth, { scope }, options);
    return oauth.processClientCredentialsResponse(as, client, response);
  }

  async function callApi(accessToken: string, path: string): Promise<Response> {
    return oauth.protectedResourceRequest(accessToken, 'GET', new URL(`${t.url}${path}`), undefined, undefined, options);
  }

  it('discovers the server from its metadata', async () => {
    const as = await discover();
    expect(as.issuer).toBe(t.issuer);
    expect(as.token_endpoint).toBe(`${t.issuer}/oauth/token`);
    expect(as.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['client_secret_basic', 'client_secret_post']));
  });

  it('gets a token with ClientSecretBasic and calls a guarded route with it', async () => {
    const as = await discover();
    const tokens = await clientCredentials(as, BASIC.client_id, oauth.ClientSecretBasic(BASIC.secret), 'a');
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.scope).toBe('a');
    expect(tokens.refresh_token).toBeUndefined();
    const res = await callApi(tokens.access_token, '/api/a');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: 'a', clientId: BASIC.client_id });
  });

  it('gets a token with ClientSecretPost and calls a guarded route with it', async () => {
    const as = await discover();
    const tokens = await clientCredentials(as, POST.client_id, oauth.ClientSecretPost(POST.secret), 'a b');
    expect(tokens.scope).toBe('a b');
    expect((await callApi(tokens.access_token, '/api/b')).status).toBe(200);
  });

  it('surfaces a wrong Basic secret as a parseable Basic challenge carrying invalid_client', async () => {
    const as = await discover();
    const error = await clientCredentials(as, BASIC.client_id, oauth.ClientSecretBasic('wrong-secret-0000'), 'a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    const challenge = (error as oauth.WWWAuthenticateChallengeError).cause[0]!;
    expect(challenge.scheme).toBe('basic');
    expect(challenge.parameters).toMatchObject({ realm: t.issuer, error: 'invalid_client' });
  });

  it('surfaces a wrong post secret as an invalid_client error body', async () => {
    const as = await discover();
    const error = await clientCredentials(as, POST.client_id, oauth.ClientSecretPost('wrong-secret-0000'), 'a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(oauth.ResponseBodyError);
    expect((error as oauth.ResponseBodyError).error).toBe('invalid_client');
    expect((error as oauth.ResponseBodyError).status).toBe(401);
  });

  it('surfaces an unknown scope as an invalid_scope error body', async () => {
    const as = await discover();
    const error = await clientCredentials(as, POST.client_id, oauth.ClientSecretPost(POST.secret), 'nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(oauth.ResponseBodyError);
    expect((error as oauth.ResponseBodyError).error).toBe('invalid_scope');
  });
});
