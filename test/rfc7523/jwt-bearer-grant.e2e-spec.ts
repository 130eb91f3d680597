import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthConfigError, AuthModule, type AuthModuleOptions } from '../../src/index.js';
import { basic } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { InMemoryAccountService, TestAccountsModule } from '../support/test-accounts.js';
import { bootTestApp, FakeClock, freshDatabase, TEST_ISSUER, TEST_SECRET, type TestApp } from '../support/test-app.js';
import { inspectDatabase, type DbInspector } from '../token-endpoint/db-inspector.js';
import { expectOAuthError, expectTokenResponse, refusedWithoutSideEffects, tokenRequest } from '../token-endpoint/helpers.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const IDP = 'https://idp.example';
const PARTNER = 'https://partner.example';
const APP = { id: 'bearer-app', secret: 'bearer-app-secret-01' };
const OTHER = { id: 'other-app', secret: 'other-app-secret-01' };
const PLAIN = { id: 'plain-app', secret: 'plain-app-secret-01' };

interface Signer {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function signer(kid: string): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256' } };
}

function sign(key: Signer, claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: key.kid, ...header } as { alg: string }).sign(key.privateKey);
}

/**
 * The JWT bearer authorization grant (RFC 7523 sections 2.1 and 3; Authlib behaviours 4.10): a client trades a JWT
 * of a trusted issuer (`jwtBearer.issuers`) for an access token of the account named by `sub`. Every refusal is a
 * 400 RFC 6749 error that stores nothing.
 */
describe.each(testMatrix())('JWT bearer grant (RFC 7523 section 2.1) on %s/%s', (platform, db) => {
  let t: TestApp;
  let dbi: DbInspector;
  let idp: Signer;
  let partner: Signer;
  let stranger: Signer;
  let jwksServer: Server;
  let jwksHits = 0;
  const clock = new FakeClock();

  const claims = (overrides: JWTPayload = {}): JWTPayload => {
    const now = Math.floor(clock.now() / 1000);
    return { iss: IDP, sub: 'user-alice', aud: `${TEST_ISSUER}/oauth/token`, iat: now, exp: now + 120, jti: randomUUID(), ...overrides };
  };
  const grant = (assertion: string, client = APP, extra: Record<string, string> = {}) =>
    tokenRequest(t, { grant_type: GRANT, assertion, ...extra }, { authorization: basic(client.id, client.secret) });
  const refused = async (assertion: string, client = APP, extra: Record<string, string> = {}) => {
    const res = await refusedWithoutSideEffects(dbi, () => grant(assertion, client, extra));
    const signature = assertion.split('.')[2];
    if (signature) expect(res.text).not.toContain(signature);
    return res;
  };

  beforeAll(async () => {
    [idp, partner, stranger] = await Promise.all([signer('idp-1'), signer('partner-1'), signer('idp-1')]);
    jwksServer = createServer((_request, response) => {
      jwksHits += 1;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [partner.publicJwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const jwksUri = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`;
    t = await bootTestApp({
      platform,
      db,
      clock,
      imports: [TestAccountsModule],
      options: {
        scopes: ['openid', 'read', 'write'],
        clients: [
          { clientId: APP.id, clientSecret: APP.secret, grantTypes: [GRANT], scopes: ['openid', 'read', 'write'], defaultScopes: ['read'] },
          { clientId: OTHER.id, clientSecret: OTHER.secret, grantTypes: [GRANT], scopes: ['read'] },
          { clientId: PLAIN.id, clientSecret: PLAIN.secret, grantTypes: ['client_credentials'], scopes: ['read'] },
        ],
        clientAssertions: { allowPrivateJwksUri: true },
        jwtBearer: {
          issuers: [
            { issuer: IDP, jwks: { keys: [idp.publicJwk as { kty: string }] } },
            { issuer: PARTNER, jwksUri, clients: [OTHER.id] },
          ],
        },
      },
    });
    dbi = await inspectDatabase(t.database);
  });
  afterAll(async () => {
    await dbi?.close();
    await t?.close();
    jwksServer?.close();
  });

  it("issues an access token of the assertion's sub, for the requested scopes, without a refresh token", async () => {
    const body = expectTokenResponse(await grant(await sign(idp, claims()), APP, { scope: 'read write' }));
    expect(body.scope).toBe('read write');
    expect(decodeJwt(body.access_token)).toMatchObject({ sub: 'user-alice', client_id: APP.id, scope: 'read write' });
    const fallback = expectTokenResponse(await grant(await sign(idp, claims({ aud: TEST_ISSUER }))));
    expect(fallback.scope).toBe('read');
  });

  it('drops openid (no ID token without a login) and refuses scopes beyond the client', async () => {
    const body = expectTokenResponse(await grant(await sign(idp, claims()), APP, { scope: 'openid read' }));
    expect(body.scope).toBe('read');
    expect(body).not.toHaveProperty('id_token');
    const assertion = await sign(idp, claims());
    expectOAuthError(await refused(assertion, OTHER, { scope: 'write' }), 400, 'invalid_scope');
  });

  it('answers invalid_request without an assertion (Authlib 99)', async () => {
    expectOAuthError(await refusedWithoutSideEffects(dbi, () => tokenRequest(t, { grant_type: GRANT }, { authorization: basic(APP.id, APP.secret) })), 400, 'invalid_request');
  });

  it('refuses a replayed assertion (its jti is used once)', async () => {
    const assertion = await sign(idp, claims());
    expectTokenResponse(await grant(assertion));
    expectOAuthError(await refused(assertion), 400, 'invalid_grant');
    expectOAuthError(await refused(await sign(idp, claims({ jti: undefined }))), 400, 'invalid_grant');
  });

  const invalid: [string, () => Promise<string>][] = [
    ['not a JWS (Authlib 103)', async () => 'not-a-jwt'],
    ['a payload that is not JSON (104)', async () => `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.${Buffer.from('nope').toString('base64url')}.sig`],
    ['without aud and exp (105)', () => sign(idp, claims({ aud: undefined, exp: undefined }))],
    ['for another audience (105)', () => sign(idp, claims({ aud: 'https://other-server.example' }))],
    ['with an aud array holding a non-string', () => sign(idp, claims({ aud: [`${TEST_ISSUER}/oauth/token`, 7 as unknown as string] }))],
    ['without iss (106)', () => sign(idp, claims({ iss: undefined }))],
    ['of an unknown issuer (106)', () => sign(idp, claims({ iss: 'https://unknown.example' }))],
    ['of an unknown sub (100)', () => sign(idp, claims({ sub: 'user-nobody' }))],
    ['without sub', () => sign(idp, claims({ sub: undefined }))],
    ['expired', () => sign(idp, claims({ exp: Math.floor(clock.now() / 1000) - 60 }))],
    ['valid for longer than clientAssertions.maxLifetime', () => sign(idp, claims({ exp: Math.floor(clock.now() / 1000) + 3600 }))],
    ['issued in the future', () => sign(idp, claims({ iat: Math.floor(clock.now() / 1000) + 600 }))],
    ['not yet valid (nbf)', () => sign(idp, claims({ nbf: Math.floor(clock.now() / 1000) + 600 }))],
    ['signed by another key under the issuer kid', () => sign(stranger, claims())],
    ['signed with alg none', async () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`],
    ['signed HS256 with the public key as secret', () => new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: 'idp-1' }).sign(new TextEncoder().encode(JSON.stringify(idp.publicJwk)))],
  ];
  it.each(invalid)('answers invalid_grant to an assertion %s, storing nothing', async (_name, make) => {
    const res = await refused(await make());
    expectOAuthError(res, 400, 'invalid_grant');
    expect(res.body.error_description).toBe('The assertion is not valid');
  });

  it('answers invalid_grant for an inactive account', async () => {
    const accounts = t.app.get(InMemoryAccountService);
    accounts.setActive('user-alice', false);
    try {
      expectOAuthError(await refused(await sign(idp, claims())), 400, 'invalid_grant');
    } finally {
      accounts.setActive('user-alice', true);
    }
  });

  it('answers unauthorized_client to a client without the grant (Authlib 102)', async () => {
    expectOAuthError(await refused(await sign(idp, claims()), PLAIN), 400, 'unauthorized_client');
  });

  it("takes an issuer's keys from its jwksUri, and only from the clients it names", async () => {
    const assertion = () => sign(partner, claims({ iss: PARTNER }));
    expectOAuthError(await refused(await assertion(), APP), 400, 'invalid_grant');
    const body = expectTokenResponse(await grant(await assertion(), OTHER));
    expect(decodeJwt(body.access_token)).toMatchObject({ sub: 'user-alice', client_id: OTHER.id });
    expectTokenResponse(await grant(await assertion(), OTHER));
    expect(jwksHits).toBe(1);
  });

  it('is listed in grant_types_supported', async () => {
    const metadata = (await (await fetch(`${t.url}/.well-known/oauth-authorization-server`)).json()) as { grant_types_supported: string[] };
    expect(metadata.grant_types_supported).toContain(GRANT);
  });
});

describe('JWT bearer grant options', () => {
  const boot = (jwtBearer: AuthModuleOptions['jwtBearer']) =>
    bootTestApp({
      platform: 'express',
      db: 'sqlite',
      // A database of its own: the default file in the working directory would be shared with parallel test files.
      authModule: AuthModule.forRoot({ issuer: TEST_ISSUER, database: freshDatabase('sqlite').database, signing: { encryptionSecret: TEST_SECRET }, clients: [{ clientId: APP.id, clientSecret: APP.secret, grantTypes: [GRANT] }], jwtBearer }),
    });

  it('refuses to boot a client with the grant without an AccountService', async () => {
    const error = await boot({ issuers: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthConfigError);
    expect((error as AuthConfigError).problems.join('\n')).toContain(`clients[0].grantTypes: '${GRANT}' needs an AccountService`);
  });

  it.each([
    ['an issuer without keys', { issuers: [{ issuer: IDP }] }, 'jwtBearer.issuers[0]: give jwks or jwksUri'],
    ['an issuer with both', { issuers: [{ issuer: IDP, jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] }, jwksUri: 'https://idp.example/jwks' }] }, 'jwtBearer.issuers[0]: give jwks or jwksUri'],
    ['a private key', { issuers: [{ issuer: IDP, jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd' }] } }] }, 'jwtBearer.issuers[0].jwks.keys[0]: must be a public key'],
    ['an http jwksUri', { issuers: [{ issuer: IDP, jwksUri: 'http://idp.example/jwks' }] }, 'jwtBearer.issuers[0].jwksUri: must be an https URL'],
    ['an unknown client', { issuers: [{ issuer: IDP, jwksUri: 'https://idp.example/jwks', clients: ['ghost'] }] }, "jwtBearer.issuers[0].clients: 'ghost' is not in clients"],
  ])('refuses to boot with %s', async (_name, jwtBearer, problem) => {
    const error = await boot(jwtBearer as AuthModuleOptions['jwtBearer']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthConfigError);
    expect((error as AuthConfigError).problems.some((p) => p.startsWith(problem))).toBe(true);
  });
});
