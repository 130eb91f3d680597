/**
 * `resource` at the JWT bearer grant (RFC 7523 section 2.1 with RFC 8707 section 2.2): the user's token is for the
 * one resource named (its `aud`, scopes, format and TTL); a resource that is not configured is `invalid_target`
 * and does not use up the assertion's `jti`, so the same assertion then works with a right resource.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMatrix } from '../support/matrix.js';
import { TestAccountsModule } from '../support/test-accounts.js';
import { bootTestApp, TEST_ISSUER, type TestApp } from '../support/test-app.js';
import { accessTokenRows, BILLING, expectError, INTROSPECTOR, introspect, jwtPayload, ORDERS, RESOURCES, SCOPES, tokenRequest } from './support/resources.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const IDP = 'https://idp.example';
const APP = { clientId: 'bearer-app', clientSecret: 'bearer-app-secret-01' };

describe.each(testMatrix())('resource indicators at the JWT bearer grant on %s/%s', (platform, db) => {
  let t: TestApp;
  let assertion: (jti?: string) => Promise<string>;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'ES256' };
    assertion = (jti = randomUUID()) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: IDP, sub: 'user-alice', aud: `${TEST_ISSUER}/oauth/token`, iat: now, exp: now + 120, jti })
        .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
        .sign(privateKey);
    };
    t = await bootTestApp({
      platform,
      db,
      imports: [TestAccountsModule],
      options: {
        scopes: SCOPES,
        resources: RESOURCES,
        jwtBearer: { issuers: [{ issuer: IDP, jwks: { keys: [publicJwk as { kty: string }] } }] },
        clients: [{ ...APP, grantTypes: [GRANT], scopes: SCOPES }, INTROSPECTOR],
      },
    });
  });
  afterAll(() => t?.close());

  const grant = async (jwt: string, extra: [string, string][]) => tokenRequest(t, APP, [['grant_type', GRANT], ['assertion', jwt], ...extra]);

  it("issues the user's token for the resource named", async () => {
    const res = await grant(await assertion(), [['resource', BILLING.uri], ['scope', 'billing:read']]);
    expect(res.status, res.text).toBe(200);
    expect(jwtPayload(String(res.body.access_token))).toMatchObject({ aud: BILLING.uri, sub: 'user-alice', scope: 'billing:read' });
  });

  it('refuses an unknown resource without using up the assertion', async () => {
    const jwt = await assertion();
    const before = await accessTokenRows(t);
    expectError(await grant(jwt, [['resource', 'https://unknown.example.test']]), 'invalid_target');
    expect(await accessTokenRows(t)).toBe(before);
    const res = await grant(jwt, [['resource', ORDERS.uri], ['scope', 'orders:read']]);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ expires_in: 120, scope: 'orders:read' });
    expect(await introspect(t, String(res.body.access_token))).toMatchObject({ active: true, aud: ORDERS.uri, sub: 'user-alice' });
  });
});
