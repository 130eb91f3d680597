import { exportJWK } from 'jose';
import * as oauth from 'oauth4webapi';
import * as openid from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAuthClientModule, OAuthClients, type PrivateJwk } from '../../src/index.js';
import { bootClientApp } from '../client/support/client-app.js';
import { CountingProxy } from '../resource-server/support/counting-proxy.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';
import { jwksOf, testKeyPair, type TestKeyPair } from './support/assertions.js';

/**
 * Interop of JWT client authentication with clients nobody here wrote: oauth4webapi's `PrivateKeyJwt` and
 * `ClientSecretJwt` (aud = the issuer, with `nbf`), openid-client's (same, through discovery), and authnest's own
 * `OAuthClientModule` with `authMethod: 'private_key_jwt'` (aud = the token endpoint), each getting a
 * client_credentials token, and the first two also introspecting and revoking with assertions. The server's issuer
 * is a reverse proxy started first, so the URLs in its metadata are the ones the clients really call (real time).
 */
describe.each(testMatrix())('JWT client authentication interop on %s/%s', (platform, db) => {
  const HS = { id: 'lib-hs', secret: 'lib-hs-secret-0123456789abcdef0123' };
  let proxy: CountingProxy;
  let t: TestApp;
  let es: TestKeyPair;
  let rs: TestKeyPair;
  let own: TestKeyPair;

  beforeAll(async () => {
    [es, rs, own] = await Promise.all([testKeyPair('ES256'), testKeyPair('RS256'), testKeyPair('EdDSA')]);
    proxy = await CountingProxy.start();
    t = await bootTestApp({
      platform,
      db,
      options: {
        issuer: proxy.url,
        scopes: ['read'],
        clients: [
          { clientId: 'lib-pk', jwks: jwksOf(es, rs), scopes: ['read'], allowIntrospection: true },
          { clientId: HS.id, clientSecret: HS.secret, authMethods: ['client_secret_jwt'], scopes: ['read'], allowIntrospection: true },
          { clientId: 'authnest-svc', jwks: jwksOf(own), scopes: ['read'] },
        ],
      },
    });
    proxy.target = t.url;
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.stop();
  });

  describe('oauth4webapi', () => {
    const options = { [oauth.allowInsecureRequests]: true } as const;
    let as: oauth.AuthorizationServer;
    beforeAll(async () => {
      const issuer = new URL(proxy.url);
      as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...options, algorithm: 'oauth2' }));
    });

    const auths = (): [string, string, oauth.ClientAuth][] => [
      ['PrivateKeyJwt ES256', 'lib-pk', oauth.PrivateKeyJwt({ key: es.privateKey, kid: es.kid })],
      ['PrivateKeyJwt RS256', 'lib-pk', oauth.PrivateKeyJwt({ key: rs.privateKey, kid: rs.kid })],
      ['ClientSecretJwt', HS.id, oauth.ClientSecretJwt(HS.secret)],
    ];

    it('gets a token, introspects and revokes it with each JWT method', async () => {
      for (const [name, clientId, auth] of auths()) {
        const client: oauth.Client = { client_id: clientId };
        const tokens = await oauth.processClientCredentialsResponse(as, client, await oauth.clientCredentialsGrantRequest(as, client, auth, { scope: 'read' }, options));
        expect(tokens.token_type, name).toBe('bearer');
        const introspection = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, tokens.access_token, options));
        expect(introspection, name).toMatchObject({ active: true, client_id: clientId, scope: 'read' });
        await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, tokens.access_token, options));
        const after = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, tokens.access_token, options));
        expect(after.active, name).toBe(false);
      }
    });

    it('a wrong key or secret is a ResponseBodyError invalid_client', async () => {
      const stranger = await testKeyPair('ES256', es.kid);
      for (const [clientId, auth] of [
        ['lib-pk', oauth.PrivateKeyJwt({ key: stranger.privateKey, kid: stranger.kid })],
        [HS.id, oauth.ClientSecretJwt('not-the-secret-0123456789abcdef012')],
      ] as const) {
        const client: oauth.Client = { client_id: clientId };
        const response = await oauth.clientCredentialsGrantRequest(as, client, auth, { scope: 'read' }, options);
        await expect(oauth.processClientCredentialsResponse(as, client, response)).rejects.toMatchObject({ error: 'invalid_client', status: 401 });
      }
    });
  });

  describe('openid-client', () => {
    it('discovers the server and gets a token with PrivateKeyJwt and ClientSecretJwt, then introspects and revokes', async () => {
      for (const [clientId, auth] of [
        ['lib-pk', openid.PrivateKeyJwt({ key: es.privateKey, kid: es.kid })],
        [HS.id, openid.ClientSecretJwt(HS.secret)],
      ] as const) {
        const config = await openid.discovery(new URL(proxy.url), clientId, undefined, auth, { execute: [openid.allowInsecureRequests] });
        const tokens = await openid.clientCredentialsGrant(config, { scope: 'read' });
        expect(tokens.scope).toBe('read');
        expect((await openid.tokenIntrospection(config, tokens.access_token)).active).toBe(true);
        await openid.tokenRevocation(config, tokens.access_token);
        expect((await openid.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
      }
    });
  });

  describe("authnest's OAuth client", () => {
    let close: () => Promise<void>;
    let clients: OAuthClients;
    beforeAll(async () => {
      const privateKey = { ...(await exportJWK(own.privateKey)), kid: own.kid } as PrivateJwk;
      const app = await bootClientApp(
        platform,
        OAuthClientModule.forRoot({
          providers: {
            discovered: { issuer: proxy.url, clientId: 'authnest-svc', privateKey, authMethod: 'private_key_jwt' },
            manual: { endpoints: { token: `${proxy.url}/oauth/token` }, clientId: 'authnest-svc', privateKey, authMethod: 'private_key_jwt' },
            again: { issuer: proxy.url, clientId: 'authnest-svc', privateKey },
          },
        }),
      );
      clients = app.get(OAuthClients);
      close = () => app.close();
    });
    afterAll(() => close?.());

    it('gets client_credentials tokens with private_key_jwt, a fresh assertion each time, no secret sent', async () => {
      const before = proxy.exchangesFor('/oauth/token').length;
      for (const name of ['discovered', 'manual', 'again']) {
        const client = clients.get(name);
        expect(client.provider.authMethod).toBe('private_key_jwt');
        expect((await client.clientCredentials({ scopes: ['read'] })).accessToken, name).toEqual(expect.any(String));
      }
      const sent = proxy.exchangesFor('/oauth/token').slice(before);
      expect(sent.length).toBe(3);
      const assertions = sent.map((exchange) => new URLSearchParams(exchange.body).get('client_assertion'));
      expect(new Set(assertions).size).toBe(assertions.length);
      for (const exchange of sent) {
        expect(exchange.headers.authorization).toBeUndefined();
        expect(new URLSearchParams(exchange.body).get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
        expect(exchange.upstream?.status, exchange.upstream?.body).toBe(200);
      }
    });
  });
});
