import { Controller, Get, Injectable } from '@nestjs/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CurrentToken, InjectOAuthClient, OAuthClient, OAuthClientError, OAuthClientModule, OAuthClients, RequireScope, type ClientSeed } from '../../src/index.js';
import { CountingProxy } from '../resource-server/support/counting-proxy.js';
import { basic, postForm } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { TestAccountsModule } from '../support/test-accounts.js';
import { bootTestApp, FakeClock, type TestApp } from '../support/test-app.js';
import { bootClientApp } from './support/client-app.js';

const SCOPES = ['reports:read', 'reports:write'];
const SVC: ClientSeed = { clientId: 'svc', clientSecret: 'svc-secret-000001', scopes: SCOPES, defaultScopes: ['reports:read'], accessTokenFormat: 'opaque' };
const SVC_POST: ClientSeed = { ...SVC, clientId: 'svc-post', authMethods: ['client_secret_post'] };
const SPA: ClientSeed = { clientId: 'spa', grantTypes: ['authorization_code'], scopes: SCOPES, redirectUris: ['https://spa.test/cb'] };

/** A route of the provider's API that needs `reports:read`. */
@Controller('api/reports')
class ReportsController {
  @Get()
  @RequireScope('reports:read')
  list(@CurrentToken('clientId') clientId: string): { for: string } {
    return { for: clientId };
  }
}

/** A host service that gets its client injected by provider name. */
@Injectable()
class ReportsFetcher {
  constructor(@InjectOAuthClient('reporting') readonly client: OAuthClient) {}
}

/**
 * The OAuth client side for service-to-service calls, against authnest's own server behind a counting proxy:
 * discovery (OpenID Connect Discovery, RFC 8414), client_credentials (RFC 6749 section 4.4) with each client
 * authentication method, a token cache that renews `refreshSkew` seconds before expiry with one request in flight,
 * the provider's errors by code, and `fetch` that retries once on 401.
 */
describe.each(testMatrix())('OAuth client: client_credentials against authnest on %s/%s', (platform, db) => {
  let proxy: CountingProxy;
  let server: TestApp;
  let clients: OAuthClients;
  let client: OAuthClient;
  const clock = new FakeClock();
  let closeClient: () => Promise<void>;

  beforeAll(async () => {
    proxy = await CountingProxy.start();
    server = await bootTestApp({ platform, db, imports: [TestAccountsModule], controllers: [ReportsController], options: { issuer: proxy.url, scopes: SCOPES, clients: [SVC, SVC_POST, SPA] } });
    proxy.target = server.url;
    const app = await bootClientApp(
      platform,
      OAuthClientModule.forRoot({
        providers: {
          reporting: { issuer: proxy.url, clientId: 'svc', clientSecret: 'svc-secret-000001', scopes: ['reports:read'] },
          posting: { issuer: proxy.url, clientId: 'svc-post', clientSecret: 'svc-secret-000001', authMethod: 'client_secret_post' },
          public: { issuer: proxy.url, clientId: 'spa' },
          wrong: { issuer: proxy.url, clientId: 'svc', clientSecret: 'not-the-secret' },
          manual: { endpoints: { token: `${proxy.url}/oauth/token` }, clientId: 'svc', clientSecret: 'svc-secret-000001' },
        },
      }),
      { providers: [ReportsFetcher], clock },
    );
    closeClient = () => app.close();
    clients = app.get(OAuthClients);
    client = app.get(ReportsFetcher).client;
  });
  afterAll(async () => {
    await closeClient?.();
    await server?.close();
    await proxy?.stop();
  });
  /** Token requests the proxy saw since the last `mark()`. */
  let marked = 0;
  const mark = () => (marked = proxy.exchanges.length);
  const since = (path: string) => proxy.exchanges.slice(marked).filter((exchange) => exchange.path === path);
  beforeEach(() => {
    proxy.reset();
    mark();
  });

  it('injects the client by name and discovers the provider once (OpenID Connect Discovery first)', async () => {
    expect(client).toBe(clients.get('reporting'));
    expect(clients.names()).toEqual(['reporting', 'posting', 'public', 'wrong', 'manual']);
    const metadata = await client.metadata();
    expect(metadata.issuer).toBe(proxy.url);
    expect(metadata.endpoints).toMatchObject({ token: `${proxy.url}/oauth/token`, jwks: `${proxy.url}/oauth/jwks`, userinfo: `${proxy.url}/oauth/userinfo` });
    await client.metadata();
    expect(since('/.well-known/openid-configuration')).toHaveLength(1);
    expect(() => clients.get('nope')).toThrow(/no OAuth provider named nope/);
  });

  it('gets a token with client_secret_basic, caches it, and asks once for concurrent callers', async () => {
    const tokens = await Promise.all(Array.from({ length: 8 }, () => client.clientCredentials({ scopes: ['reports:write'] })));
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(tokens[0]).toMatchObject({ tokenType: 'Bearer', scopes: ['reports:write'] });
    expect(await client.clientCredentials({ scopes: ['reports:write'] })).toBe(tokens[0]);
    expect(since('/oauth/token')).toHaveLength(1);
    const [exchange] = since('/oauth/token');
    expect(exchange!.headers.authorization).toBe(basic('svc', 'svc-secret-000001'));
    expect(new URLSearchParams(exchange!.body).get('client_secret')).toBeNull();
  });

  it('renews a cached token refreshSkew seconds before it expires, and keeps one per scope set', async () => {
    const first = await client.clientCredentials();
    expect(first.scopes).toEqual(['reports:read']);
    mark();
    clock.advance(3600 - 31);
    expect(await client.clientCredentials()).toBe(first);
    clock.advance(2);
    const renewed = await client.clientCredentials();
    expect(renewed.accessToken).not.toBe(first.accessToken);
    expect(since('/oauth/token')).toHaveLength(1);
  });

  it('authenticates with client_secret_post, and with explicit endpoints without discovery', async () => {
    const posted = await clients.get('posting').clientCredentials({ scopes: ['reports:read'] });
    const [exchange] = since('/oauth/token');
    const form = new URLSearchParams(exchange!.body);
    expect([form.get('client_id'), form.get('client_secret'), exchange!.headers.authorization]).toEqual(['svc-post', 'svc-secret-000001', undefined]);
    expect(posted.accessToken).toEqual(expect.any(String));
    const manual = clients.get('manual');
    expect((await manual.clientCredentials()).scopes).toEqual(['reports:read']); // the server's default scope
    expect(since('/.well-known/openid-configuration')).toHaveLength(1); // the posting provider's, not the manual one's
  });

  it("surfaces the provider's errors by code: invalid_client, invalid_scope, unauthorized_client", async () => {
    await expect(clients.get('wrong').clientCredentials()).rejects.toMatchObject({ code: 'invalid_client', status: 401 });
    await expect(client.clientCredentials({ scopes: ['admin'] })).rejects.toMatchObject({ code: 'invalid_scope', status: 400 });
    await expect(clients.get('public').clientCredentials()).rejects.toMatchObject({ code: 'unauthorized_client', status: 400 });
    const error = await clients.get('wrong').clientCredentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthClientError);
    expect(String((error as Error).message)).not.toContain('not-the-secret');
  });

  it('answers unavailable when the provider is down or broken, and recovers', async () => {
    const fresh = clients.get('posting');
    for (const mode of ['error', 'html', 'reset'] as const) {
      proxy.mode = mode;
      await expect(fresh.clientCredentials({ scopes: ['reports:write'] })).rejects.toMatchObject({ code: 'unavailable' });
    }
    proxy.mode = 'forward';
    await expect(fresh.clientCredentials({ scopes: ['reports:write'] })).resolves.toMatchObject({ tokenType: 'Bearer' });
  });

  it('fetch adds the bearer token, and on 401 gets a new token and retries once', async () => {
    const first = await client.fetch(`${server.url}/api/reports`);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ for: 'svc' });
    // The provider revokes the cached token: the API answers 401, the client renews it and the retry succeeds.
    const cached = await client.clientCredentials();
    await postForm(`${server.url}/oauth/revoke`, { token: cached.accessToken }, { authorization: basic('svc', 'svc-secret-000001') });
    mark();
    const retried = await client.fetch(`${server.url}/api/reports`);
    expect(retried.status).toBe(200);
    expect(since('/oauth/token')).toHaveLength(1);
    expect((await client.clientCredentials()).accessToken).not.toBe(cached.accessToken);
    // A token the API refuses for good (no scope) is retried once, then the 403/401 comes back as it is.
    const refused = await client.fetch(`${server.url}/api/reports`, {}, { scopes: ['reports:write'] });
    expect(refused.status).toBe(403);
  });
});
