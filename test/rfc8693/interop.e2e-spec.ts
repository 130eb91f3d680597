import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeTokens, introspect, WEB } from '../grants/grant-helpers.js';
import { testMatrix } from '../support/matrix.js';
import { bootExchangeApp, clientToken, GATEWAY, GRANT, OPAQUE, type ExchangeApp } from './support.js';

const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';

/**
 * Token exchange driven by client libraries nobody here wrote: oauth4webapi's `genericTokenEndpointRequest` and
 * openid-client's `genericGrantRequest` (both strict about the token response), after discovery from the metadata;
 * with a DPoP proof (RFC 9449 section 5) the exchanged token is bound to the proof's key.
 */
describe.each(testMatrix())('token exchange interop on %s/%s', (platform, db) => {
  let x: ExchangeApp;
  /** The libraries talk to the issuer URL (http://127.0.0.1): this sends those requests to the app's real port. */
  const toApp: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    return fetch(`${x.t.url}${url.pathname}${url.search}`, init);
  };

  beforeAll(async () => {
    x = await bootExchangeApp(platform, db, { dpop: {} });
  });
  afterAll(() => x?.t.close());

  it('oauth4webapi: impersonation and delegation', async () => {
    const issuer = new URL(x.t.issuer);
    const options = { [oauth.allowInsecureRequests]: true, [oauth.customFetch]: toApp } as const;
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...options, algorithm: 'oauth2' }));
    expect(as.grant_types_supported).toContain(GRANT);
    const gateway: oauth.Client = { client_id: GATEWAY.id };
    const auth = oauth.ClientSecretBasic(GATEWAY.secret!);
    const subject = (await codeTokens(x.t, WEB, { scopes: ['a', 'b'] })).access_token;
    const parameters = { subject_token: subject, subject_token_type: ACCESS_TOKEN, actor_token: await clientToken(x.t, GATEWAY), actor_token_type: ACCESS_TOKEN, scope: 'a' };
    const response = await oauth.genericTokenEndpointRequest(as, gateway, auth, GRANT, parameters, options);
    const tokens = await oauth.processGenericTokenEndpointResponse(as, gateway, response);
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'a', issued_token_type: ACCESS_TOKEN });
    expect(tokens.refresh_token).toBeUndefined();
    expect(decodeJwt(tokens.access_token)).toMatchObject({ sub: 'alice', client_id: GATEWAY.id, act: { sub: GATEWAY.id } });
  });

  it('oauth4webapi with DPoP: the exchanged token is a DPoP token bound to the key', async () => {
    const issuer = new URL(x.t.issuer);
    const options = { [oauth.allowInsecureRequests]: true, [oauth.customFetch]: toApp } as const;
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...options, algorithm: 'oauth2' }));
    const gateway: oauth.Client = { client_id: GATEWAY.id };
    const keyPair = await oauth.generateKeyPair('ES256');
    const DPoP = oauth.DPoP(gateway, keyPair);
    const subject = (await codeTokens(x.t, WEB, { scopes: ['a'] })).access_token;
    const response = await oauth.genericTokenEndpointRequest(as, gateway, oauth.ClientSecretBasic(GATEWAY.secret!), GRANT, { subject_token: subject, subject_token_type: ACCESS_TOKEN }, { ...options, DPoP });
    const tokens = await oauth.processGenericTokenEndpointResponse(as, gateway, response);
    expect(tokens.token_type).toBe('dpop');
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt: await DPoP.calculateThumbprint() });
  });

  it('a DPoP-bound subject token is exchanged only with a proof of its own key', async () => {
    const issuer = new URL(x.t.issuer);
    const options = { [oauth.allowInsecureRequests]: true, [oauth.customFetch]: toApp } as const;
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...options, algorithm: 'oauth2' }));
    const gateway: oauth.Client = { client_id: GATEWAY.id };
    const auth = oauth.ClientSecretBasic(GATEWAY.secret!);
    const DPoP = oauth.DPoP(gateway, await oauth.generateKeyPair('ES256'));
    const bound = await oauth.processClientCredentialsResponse(as, gateway, await oauth.clientCredentialsGrantRequest(as, gateway, auth, {}, { ...options, DPoP }));
    expect(bound.token_type).toBe('dpop');
    const form = { subject_token: bound.access_token, subject_token_type: ACCESS_TOKEN };
    const stranger = oauth.DPoP(gateway, await oauth.generateKeyPair('ES256'));
    for (const attempt of [{}, { DPoP: stranger }]) {
      const refused = await oauth.genericTokenEndpointRequest(as, gateway, auth, GRANT, form, { ...options, ...attempt });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ error: 'invalid_request', error_description: 'The subject_token is not valid' });
    }
    const response = await oauth.genericTokenEndpointRequest(as, gateway, auth, GRANT, form, { ...options, DPoP });
    const tokens = await oauth.processGenericTokenEndpointResponse(as, gateway, response);
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt: await DPoP.calculateThumbprint() });
  });

  it('openid-client: an opaque exchanged token that introspection describes', async () => {
    const config = await client.discovery(new URL(x.t.issuer), OPAQUE.id, undefined, client.ClientSecretBasic(OPAQUE.secret!), {
      algorithm: 'oauth2',
      execute: [client.allowInsecureRequests],
      [client.customFetch]: toApp,
    });
    config[client.customFetch] = toApp;
    const subject = (await codeTokens(x.t, WEB, { scopes: ['a'] })).access_token;
    const tokens = await client.genericGrantRequest(config, GRANT, { subject_token: subject, subject_token_type: ACCESS_TOKEN });
    expect(tokens.issued_token_type).toBe(ACCESS_TOKEN);
    expect(tokens.expiresIn()).toBeGreaterThan(0);
    const info = await introspect(x.t, tokens.access_token);
    expect(info.body).toMatchObject({ active: true, sub: 'alice', client_id: OPAQUE.id, scope: 'a' });
  });
});
