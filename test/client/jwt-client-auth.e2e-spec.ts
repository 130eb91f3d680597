import { decodeJwt, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAuthClientError, OAuthClientModule, OAuthClients, type PrivateJwk } from '../../src/index.js';
import { CountingProxy } from '../resource-server/support/counting-proxy.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';
import { bootClientApp } from './support/client-app.js';

const HS_SECRET = 'hs-service-secret-0123456789abcdef';

/**
 * authnest's OAuth client authenticating with JWT assertions (RFC 7523 section 2.2) at authnest's own token
 * endpoint, behind a proxy that records what was sent: `private_key_jwt` with the client's private key (the server
 * holds the public JWK) and `client_secret_jwt` (HS256 under the shared secret). Each token request carries a new
 * assertion; a wrong key or secret is the server's `invalid_client`.
 */
describe.each(testMatrix())('OAuth client: JWT client authentication at authnest on %s/%s', (platform, db) => {
  let proxy: CountingProxy;
  let server: TestApp;
  let clients: OAuthClients;
  let closeClient: () => Promise<void>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const other = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), kid: 'svc-1', alg: 'ES256' };
    proxy = await CountingProxy.start();
    server = await bootTestApp({
      platform,
      db,
      options: {
        issuer: proxy.url,
        scopes: ['reports:read'],
        clients: [
          { clientId: 'pk-svc', jwks: { keys: [publicJwk] }, scopes: ['reports:read'] },
          { clientId: 'hs-svc', clientSecret: HS_SECRET, authMethods: ['client_secret_jwt'], scopes: ['reports:read'] },
        ],
      },
    });
    proxy.target = server.url;
    const key = (jwk: object) => ({ ...jwk, kid: 'svc-1', alg: 'ES256' }) as unknown as PrivateJwk;
    const app = await bootClientApp(
      platform,
      OAuthClientModule.forRoot({
        providers: {
          pk: { issuer: proxy.url, clientId: 'pk-svc', privateKey: key(await exportJWK(privateKey)), scopes: ['reports:read'] },
          hs: { issuer: proxy.url, clientId: 'hs-svc', clientSecret: HS_SECRET, authMethod: 'client_secret_jwt', scopes: ['reports:read'] },
          wrongKey: { issuer: proxy.url, clientId: 'pk-svc', privateKey: key(await exportJWK(other.privateKey)) },
          wrongSecret: { issuer: proxy.url, clientId: 'hs-svc', clientSecret: 'not-the-secret-0123456789abcdef', authMethod: 'client_secret_jwt' },
        },
      }),
    );
    clients = app.get(OAuthClients);
    closeClient = () => app.close();
  });
  afterAll(async () => {
    await closeClient?.();
    await server?.close();
    await proxy?.stop();
  });

  const lastAssertion = () => new URLSearchParams(proxy.exchangesFor('/oauth/token').at(-1)!.body);

  it.each([
    ['pk', 'pk-svc', 'ES256'],
    ['hs', 'hs-svc', 'HS256'],
  ])('gets a client_credentials token as %s (%s signs %s), with a fresh assertion per request', async (name, clientId, alg) => {
    const token = await clients.get(name).clientCredentials();
    expect(decodeJwt(token.accessToken)).toMatchObject({ sub: clientId, client_id: clientId, scope: 'reports:read' });
    const form = lastAssertion();
    expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(form.get('client_secret')).toBeNull();
    const first = form.get('client_assertion')!;
    expect(JSON.parse(Buffer.from(first.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg });
    expect(decodeJwt(first)).toMatchObject({ iss: clientId, sub: clientId, aud: `${proxy.url}/oauth/token` });
    await clients.get(name).clientCredentials({ scopes: [] });
    expect(lastAssertion().get('client_assertion')).not.toBe(first);
  });

  it.each(['wrongKey', 'wrongSecret'])('surfaces invalid_client for %s, naming no assertion', async (name) => {
    const error = await clients.get(name).clientCredentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthClientError);
    expect(error).toMatchObject({ code: 'invalid_client', status: 401 });
    expect((error as Error).message).not.toContain(lastAssertion().get('client_assertion')!.split('.')[2]!);
  });
});
