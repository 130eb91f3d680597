/**
 * Resource indicators (RFC 8707 section 2) at the client credentials grant: without `resource` the token is today's
 * (default audience, every scope, the server's format and lifetime); with one, it is audience-restricted (`aud` =
 * the resource, only its scopes, its format and TTL), refused by AuthModule's own guard and described with that
 * `aud` by introspection. Unknown, malformed, not-allowed or several different resources are `invalid_target`, an
 * explicit scope the resource does not have is `invalid_scope`; a refused request stores nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMe, MeController } from '../support/app-helpers.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, FakeClock, TEST_ISSUER, type TestApp } from '../support/test-app.js';
import {
  accessTokenRows, BILLING, expectError, INTROSPECTOR, introspect, jwtPayload, LIMITED, ORDERS, RESOURCES, SCOPES, SVC, tokenRequest,
} from './support/resources.js';

const CC = { grant_type: 'client_credentials' };

describe.each(testMatrix())('resource indicators at the client credentials grant on %s/%s', (platform, db) => {
  const clock = new FakeClock(Date.UTC(2032, 1, 1, 8, 0, 0));
  let t: TestApp;

  beforeAll(async () => {
    t = await bootTestApp({
      platform,
      db,
      clock,
      controllers: [MeController],
      options: { scopes: SCOPES, resources: RESOURCES, clients: [SVC, LIMITED, INTROSPECTOR] },
    });
  });
  afterAll(() => t?.close());

  const cc = (form: [string, string][]) => tokenRequest(t, SVC, [['grant_type', 'client_credentials'], ...form]);

  /** A request that must be refused with `error`, storing no access token. */
  async function refused(send: () => ReturnType<typeof cc>, error: string): Promise<void> {
    const before = await accessTokenRows(t);
    expectError(await send(), error);
    expect(await accessTokenRows(t)).toBe(before);
  }

  it("issues today's token without resource: default audience, every default scope, JWT, accessToken.ttl", async () => {
    const res = await tokenRequest(t, SVC, CC);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'a orders:read billing:read' });
    const token = String(res.body.access_token);
    expect(jwtPayload(token)).toMatchObject({ aud: TEST_ISSUER, scope: 'a orders:read billing:read' });
    expect((await getMe(t.url, token)).status).toBe(200);
  });

  it("issues a JWT for a URN resource: aud the URN, its scopes only, refused by AuthModule's own guard", async () => {
    const res = await cc([['resource', BILLING.uri]]);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ expires_in: 3600, scope: 'billing:read' });
    const token = String(res.body.access_token);
    expect(jwtPayload(token)).toMatchObject({ aud: BILLING.uri, scope: 'billing:read', sub: SVC.clientId });
    const local = await getMe(t.url, token);
    expect(local.status).toBe(401);
    expect(local.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(await introspect(t, token)).toMatchObject({ active: true, aud: BILLING.uri, scope: 'billing:read', client_id: SVC.clientId });
  });

  it("uses the resource's format and TTL: an opaque token that expires after 120 seconds", async () => {
    const res = await cc([['resource', ORDERS.uri], ['scope', 'orders:read orders:write']]);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ expires_in: 120, scope: 'orders:read orders:write' });
    const token = String(res.body.access_token);
    expect(token.split('.')).toHaveLength(1);
    const answer = await introspect(t, token);
    expect(answer).toMatchObject({ active: true, aud: ORDERS.uri, scope: 'orders:read orders:write' });
    expect(Number(answer.exp) - Number(answer.iat)).toBe(120);
    expect((await getMe(t.url, token)).status).toBe(401);

    const longer = String((await tokenRequest(t, SVC, CC)).body.access_token);
    clock.advance(121);
    expect(await introspect(t, token)).toEqual({ active: false });
    expect(await introspect(t, longer)).toMatchObject({ active: true });
  });

  it('accepts the same resource repeated', async () => {
    const res = await cc([['resource', BILLING.uri], ['resource', BILLING.uri]]);
    expect(res.status, res.text).toBe(200);
    expect(jwtPayload(String(res.body.access_token)).aud).toBe(BILLING.uri);
  });

  it('refuses several different resources in one token request with invalid_target', async () => {
    await refused(() => cc([['resource', BILLING.uri], ['resource', ORDERS.uri]]), 'invalid_target');
  });

  it.each([
    ['an unknown resource', 'https://unknown.example.test'],
    ['a resource differing only by a trailing slash', `${ORDERS.uri}/`],
    ['a relative URI', '/orders'],
    ['a URI with a fragment', `${ORDERS.uri}#frag`],
    ['a URI with userinfo', 'https://u:p@orders.example.test'],
    ['a very long value', `https://orders.example.test/${'x'.repeat(2000)}`],
  ])('refuses %s with invalid_target', async (_name, value) => {
    await refused(() => cc([['resource', value]]), 'invalid_target');
  });

  it('refuses many repeated values (the same or different) without a server error', async () => {
    const many = (value: (i: number) => string) => Array.from({ length: 40 }, (_, i): [string, string] => ['resource', value(i)]);
    await refused(() => cc(many((i) => `https://r${i}.example.test`)), 'invalid_target');
    const same = await cc(many(() => BILLING.uri));
    expect(same.status, same.text).toBe(200);
  });

  it('refuses a value with a space as malformed (invalid_request)', async () => {
    await refused(() => cc([['resource', `${ORDERS.uri} ${BILLING.uri}`]]), 'invalid_request');
  });

  it("refuses a resource outside the client's resources list", async () => {
    const before = await accessTokenRows(t);
    expectError(await tokenRequest(t, LIMITED, [['grant_type', 'client_credentials'], ['resource', ORDERS.uri]]), 'invalid_target');
    expect(await accessTokenRows(t)).toBe(before);
    const allowed = await tokenRequest(t, LIMITED, [['grant_type', 'client_credentials'], ['resource', BILLING.uri], ['scope', 'billing:read']]);
    expect(allowed.status, allowed.text).toBe(200);
  });

  it("refuses an explicit scope the resource does not have with invalid_scope, but narrows the client's defaults", async () => {
    await refused(() => cc([['resource', ORDERS.uri], ['scope', 'orders:read billing:read']]), 'invalid_scope');
    await refused(() => cc([['resource', ORDERS.uri], ['scope', 'a']]), 'invalid_scope');
    const narrowed = await cc([['resource', ORDERS.uri]]);
    expect(narrowed.status, narrowed.text).toBe(200);
    expect(narrowed.body.scope).toBe('orders:read');
  });
});
