/**
 * Audience restriction end to end (RFC 8707 section 2, RFC 9068 section 4): a token minted for resource X (by
 * client credentials with `resource=X`) is accepted by a standalone `AuthResourceModule` configured with audience
 * X (JWT through the issuer's JWKS, opaque through introspection, which reports `aud` = X), refused by one
 * configured with the issuer's default audience, and the default audience's tokens are refused at X. oauth4webapi
 * sends `resource` as a client and validates the JWT as a resource server would (`validateJwtAccessToken`).
 * The issuer sits behind a counting proxy whose URL is its issuer.
 */
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENTS, expectInvalidToken } from '../resource/support/resource-app.js';
import { INTROSPECTOR, introspectAtIssuer, introspectingOptions } from '../resource-server/support/introspection-fixture.js';
import {
  API_AUDIENCE, bootIssuer, bootResourceServer, callApi, type IssuerApp, type ResourceServerApp,
} from '../resource-server/support/resource-server-app.js';
import { basic, postForm } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';

/** The resource: no format of its own, so each client's format applies (rs-jwt: JWT, rs-opaque: opaque). */
const ORDERS_API = { uri: 'https://orders-api.example.test', scopes: ['posts:read', 'posts:write'] };

describe.each(testMatrix())('audience-restricted tokens at standalone resource servers on %s/%s', (platform, db) => {
  let as: IssuerApp;
  let orders: ResourceServerApp;
  let ownApi: ResourceServerApp;

  beforeAll(async () => {
    as = await bootIssuer(platform, db, {
      options: { resources: [ORDERS_API], clients: [{ ...INTROSPECTOR, allowIntrospection: true }] },
    });
    [orders, ownApi] = await Promise.all([
      bootResourceServer({ platform, options: introspectingOptions(as, {}, { audience: ORDERS_API.uri }) }),
      bootResourceServer({ platform, options: introspectingOptions(as) }),
    ]);
  });
  afterAll(async () => {
    await orders?.close();
    await ownApi?.close();
    await as?.close();
  });

  async function token(format: 'jwt' | 'opaque', resource?: string): Promise<string> {
    const form: Record<string, string> = { grant_type: 'client_credentials', scope: 'posts:read' };
    if (resource) form.resource = resource;
    const res = await postForm(`${as.url}/oauth/token`, form, { authorization: basic(CLIENTS[format].clientId, CLIENTS[format].clientSecret) });
    expect(res.status, res.text).toBe(200);
    return String(res.body.access_token);
  }

  it.each(['jwt', 'opaque'] as const)('accepts a %s token for X at the resource server of X, and only there', async (format) => {
    const forOrders = await token(format, ORDERS_API.uri);
    expect(forOrders.split('.')).toHaveLength(format === 'jwt' ? 3 : 1);
    const accepted = await callApi(orders, '/api/either', forOrders);
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body).toEqual({ scopes: ['posts:read'] });
    expectInvalidToken(await callApi(ownApi, '/api/either', forOrders));
    expect(await introspectAtIssuer(as, forOrders)).toMatchObject({ active: true, aud: ORDERS_API.uri });
  });

  it.each(['jwt', 'opaque'] as const)("refuses a %s token of the default audience at the resource server of X", async (format) => {
    const own = await token(format);
    expect((await callApi(ownApi, '/api/either', own)).status).toBe(200);
    expectInvalidToken(await callApi(orders, '/api/either', own));
    expect(await introspectAtIssuer(as, own)).toMatchObject({ active: true, aud: API_AUDIENCE });
  });

  it("interoperates with oauth4webapi: resource sent as a client, the JWT validated for X's audience only", async () => {
    const issuer = new URL(as.issuer);
    const options = { [oauth.allowInsecureRequests]: true } as const;
    const server = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...options, algorithm: 'oauth2' }));
    const client: oauth.Client = { client_id: CLIENTS.jwt.clientId };
    const params = new URLSearchParams([['scope', 'posts:read posts:write'], ['resource', ORDERS_API.uri]]);
    const response = await oauth.clientCredentialsGrantRequest(server, client, oauth.ClientSecretBasic(CLIENTS.jwt.clientSecret), params, options);
    const tokens = await oauth.processClientCredentialsResponse(server, client, response);
    expect(tokens.scope).toBe('posts:read posts:write');

    const request = () => new Request(`${orders.url}/api/either`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    const claims = await oauth.validateJwtAccessToken(server, request(), ORDERS_API.uri, options);
    expect(claims).toMatchObject({ aud: ORDERS_API.uri, iss: as.issuer, client_id: CLIENTS.jwt.clientId, scope: 'posts:read posts:write' });
    await expect(oauth.validateJwtAccessToken(server, request(), API_AUDIENCE, options)).rejects.toThrow();
    expect((await callApi(orders, '/api/either', tokens.access_token)).status).toBe(200);
  });
});
