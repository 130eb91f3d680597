import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OAuthClientError, OAuthClients, type OAuthProviderOptions, type PrivateJwk } from '../../src/index.js';
import type { ProxiedExchange } from '../resource-server/support/counting-proxy.js';
import { testMatrix } from '../support/matrix.js';
import { OP_ACCOUNT } from './support/oidc-provider-server.js';
import { bootOidcRig, inspected, toCallback, tokenExchanges, type OidcRig } from './support/oidc-provider-rig.js';

const ALGORITHMS = ['ES256', 'RS256', 'EdDSA'] as const;
type Algorithm = (typeof ALGORITHMS)[number];

interface KeyPair {
  publicJwk: JWK;
  privateJwk: PrivateJwk;
}

/** A key pair of this app with `kid` (no `alg` member: the client picks it by key type, RS256, ES256 or EdDSA). */
async function keyPair(alg: Algorithm, kid: string): Promise<KeyPair> {
  const { publicKey, privateKey } = await generateKeyPair(alg === 'EdDSA' ? 'Ed25519' : alg, { extractable: true });
  return { publicJwk: { ...(await exportJWK(publicKey)), kid, use: 'sig' }, privateJwk: { ...(await exportJWK(privateKey)), kid } as PrivateJwk };
}

const serviceId = (alg: Algorithm) => `svc-jwt-${alg.toLowerCase()}`;

/**
 * `private_key_jwt` (RFC 7523 section 2.2, OpenID Connect Core section 9) against node-oidc-provider 9 for real, behind
 * a CountingProxy that is its issuer: clients registered there with `token_endpoint_auth_method: private_key_jwt`
 * and their public `jwks`. authnest's client signs its assertions with ES256, RS256 and EdDSA (Ed25519) keys for
 * client_credentials, and with ES256 at the token endpoint of a browser login (code flow). A key node-oidc-provider
 * does not have for the client (another key under the registered kid, or an unregistered kid) is `invalid_client`
 * (401), and neither the assertion nor any key material is in the error.
 */
describe.each(testMatrix())('OAuth client: private_key_jwt at node-oidc-provider on %s/%s', (platform, db) => {
  let rig: OidcRig;
  let clients: OAuthClients;
  const keys = {} as Record<Algorithm, KeyPair>;
  let web: KeyPair;
  let other: KeyPair;
  let unregistered: KeyPair;

  beforeAll(async () => {
    for (const alg of ALGORITHMS) keys[alg] = await keyPair(alg, `svc-${alg.toLowerCase()}`);
    web = await keyPair('ES256', 'web-jwt-1');
    other = await keyPair('ES256', keys.ES256.publicJwk.kid!); // same kid as the registered key, another key
    unregistered = await keyPair('ES256', 'never-registered');
    rig = await bootOidcRig(platform, db, {
      op: (appUrl) => ({
        clients: [
          ...ALGORITHMS.map((alg) => ({
            client_id: serviceId(alg),
            grant_types: ['client_credentials'],
            redirect_uris: [],
            response_types: [],
            token_endpoint_auth_method: 'private_key_jwt',
            jwks: { keys: [keys[alg].publicJwk] },
            scope: 'api:read api:write',
          })),
          {
            client_id: 'web-jwt',
            grant_types: ['authorization_code'],
            response_types: ['code'],
            redirect_uris: [`${appUrl}/callback`],
            token_endpoint_auth_method: 'private_key_jwt',
            jwks: { keys: [web.publicJwk] },
          },
        ],
      }),
      providers: (issuer, appUrl) => {
        const login = { redirectUri: `${appUrl}/callback` };
        const providers: Record<string, OAuthProviderOptions> = {
          'wrong-key': { issuer, clientId: serviceId('ES256'), privateKey: other.privateJwk },
          'unknown-kid': { issuer, clientId: serviceId('ES256'), privateKey: unregistered.privateJwk },
          jwtLogin: { issuer, clientId: 'web-jwt', privateKey: web.privateJwk, login },
          jwtLoginWrong: { issuer, clientId: 'web-jwt', privateKey: other.privateJwk, login },
        };
        for (const alg of ALGORITHMS) providers[`jwt-${alg}`] = { issuer, clientId: serviceId(alg), privateKey: keys[alg].privateJwk, scopes: ['api:read'] };
        return providers;
      },
    });
    clients = rig.app.get(OAuthClients);
  });
  beforeEach(() => {
    // node-oidc-provider checks an assertion's exp (a minute after its iat) with real time: the client's FakeClock,
    // which signs iat, catches up with it before each test (and stands still during it).
    rig.clock.advance(Math.max(0, Date.now() - rig.clock.now()) / 1000);
  });
  afterEach(() => {
    expect(rig.op.serverErrors).toEqual([]);
  });
  afterAll(async () => {
    await rig?.close();
  });

  /** The form of a token request as the proxy saw it, and its client assertion's header and claims. */
  function assertionOf(exchange: ProxiedExchange | undefined) {
    const form = new URLSearchParams(exchange!.body);
    const assertion = form.get('client_assertion')!;
    return { form, assertion, header: decodeProtectedHeader(assertion), claims: decodeJwt(assertion) };
  }

  it.each(ALGORITHMS)('gets client_credentials tokens with an assertion signed %s, a fresh one for each request', async (alg) => {
    const client = clients.get(`jwt-${alg}`);
    expect(client.provider.authMethod).toBe('private_key_jwt');
    const first = await client.clientCredentials();
    expect(first).toMatchObject({ tokenType: 'Bearer', scopes: ['api:read'], expiresAt: rig.clock.now() + 600_000 });
    const second = await client.clientCredentials({ scopes: ['api:write'] });
    expect(second.scopes).toEqual(['api:write']);
    expect(rig.op.tokenRequests.slice(-2)).toEqual([
      { status: 200, clientId: serviceId(alg), basic: false },
      { status: 200, clientId: serviceId(alg), basic: false },
    ]);
    const [a, b] = tokenExchanges(rig, 'client_credentials').slice(-2).map(assertionOf);
    expect(Object.fromEntries(a!.form)).toEqual({
      grant_type: 'client_credentials',
      scope: 'api:read',
      client_id: serviceId(alg),
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: a!.assertion,
    });
    expect(tokenExchanges(rig, 'client_credentials').at(-1)!.headers.authorization).toBeUndefined();
    expect(a!.header).toEqual({ alg, typ: 'JWT', kid: `svc-${alg.toLowerCase()}` });
    // aud is the token endpoint node-oidc-provider discovers: the proxy's, since the proxy is its issuer.
    expect(a!.claims).toMatchObject({ iss: serviceId(alg), sub: serviceId(alg), aud: `${rig.proxy.url}/token` });
    expect(Number(a!.claims.exp) - Number(a!.claims.iat)).toBe(60);
    expect(b!.claims.jti).not.toBe(a!.claims.jti); // node-oidc-provider refuses a jti it has seen
    await jwtVerify(a!.assertion, await importJWK(keys[alg].publicJwk, alg), { currentDate: new Date(rig.clock.now()) });
  });

  it('signs alice in through node-oidc-provider with private_key_jwt at the token endpoint (code flow)', async () => {
    const browser = rig.browser();
    const { callback } = await toCallback(rig, browser, '/rig/start/jwtLogin');
    const done = await browser.get(callback.href);
    expect([done.status, done.headers.get('location')], done.text).toEqual([303, '/me']);
    expect((await browser.get(`${rig.appUrl}/me`)).body).toEqual({ provider: 'jwtLogin', sub: OP_ACCOUNT.id, name: OP_ACCOUNT.name, email: OP_ACCOUNT.email });
    const exchange = tokenExchanges(rig, 'authorization_code').at(-1);
    const { form, header, claims } = assertionOf(exchange);
    expect(form.get('client_id')).toBe('web-jwt');
    expect(form.get('code_verifier')).toEqual(expect.any(String));
    expect(form.has('client_secret')).toBe(false);
    expect(exchange!.headers.authorization).toBeUndefined();
    expect(header).toMatchObject({ alg: 'ES256', kid: 'web-jwt-1' });
    expect(claims).toMatchObject({ iss: 'web-jwt', sub: 'web-jwt', aud: `${rig.proxy.url}/token` });
    expect(rig.op.tokenRequests.at(-1)).toEqual({ status: 200, clientId: 'web-jwt', basic: false });
  });

  /** Asserts that `text` names neither the assertion (nor its signature) nor any member of the private key. */
  function expectNoKeyMaterial(text: string, assertion: string, key: PrivateJwk): void {
    expect(text).not.toContain(assertion);
    expect(text).not.toContain(assertion.split('.')[2]!);
    expect(text).not.toContain(assertion.split('.')[1]!);
    for (const [member, value] of Object.entries(key)) if (!['kty', 'crv', 'kid', 'e'].includes(member)) expect(text).not.toContain(String(value));
  }

  it.each([
    ['another key under the registered kid', 'wrong-key', () => other],
    ['a kid it has not registered', 'unknown-kid', () => unregistered],
  ] as const)('refuses an assertion signed with %s: invalid_client (401), no key or assertion in the error', async (_name, provider, key) => {
    const error = await clients
      .get(provider)
      .clientCredentials()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthClientError);
    expect(error).toMatchObject({ provider, code: 'invalid_client', status: 401 });
    expect(rig.op.tokenRequests.at(-1)).toMatchObject({ status: 401, basic: false });
    const { assertion } = assertionOf(tokenExchanges(rig, 'client_credentials').at(-1));
    const { message, description } = error as OAuthClientError;
    expectNoKeyMaterial(`${message} ${description} ${JSON.stringify(error)} ${String(error)}`, assertion, key().privateJwk);
    // The registered key still works for the same client.
    await expect(clients.get('jwt-ES256').clientCredentials({ scopes: ['api:read', 'api:write'] })).resolves.toMatchObject({ tokenType: 'Bearer' });
  });

  it('answers invalid_client at the callback of a login whose assertion uses the wrong key, and starts no session', async () => {
    const browser = rig.browser();
    const { callback } = await toCallback(rig, browser, '/rig/start/jwtLoginWrong');
    const res = await browser.get(inspected(callback));
    expect([res.status, res.body.error], res.text).toEqual([400, 'invalid_client']);
    expect(rig.op.tokenRequests.at(-1)).toMatchObject({ status: 401 });
    expectNoKeyMaterial(res.text, assertionOf(tokenExchanges(rig, 'authorization_code').at(-1)).assertion, other.privateJwk);
    expect(res.text).not.toContain(callback.searchParams.get('code')!);
    expect((await browser.get(`${rig.appUrl}/me`)).status).toBe(401);
  });
});
