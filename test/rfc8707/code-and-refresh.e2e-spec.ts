/**
 * `resource` at the authorization code and refresh token grants (RFC 8707 section 2.2): the value must be one of
 * the grant's resources (else `invalid_target`, and the code stays usable); omitted, the grant's only resource, or
 * the default audience (today's token when the grant named none; only the scopes of no resource when it named
 * several). A resource token has `aud` = the resource, only its scopes (downscoping), its format and TTL; the ID
 * token is unaffected. Refresh tokens keep every resource of the grant; each refresh may pick one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMe } from '../support/app-helpers.js';
import { sha256, tableRows, type TestBrowser } from '../support/authorization-flow.js';
import { testMatrix } from '../support/matrix.js';
import { TEST_ISSUER, type TestApp } from '../support/test-app.js';
import { aliceBrowser, authorizationCode, bootResourceFlowApp, redeem, refresh, WEB } from './support/flow.js';
import { accessTokenRows, BILLING, expectError, introspect, jwtPayload, ORDERS } from './support/resources.js';

describe.each(testMatrix())('resource indicators at the code and refresh grants on %s/%s', (platform, db) => {
  let t: TestApp;
  let browser: TestBrowser;

  beforeAll(async () => {
    t = await bootResourceFlowApp(platform, db);
    browser = await aliceBrowser(t);
  });
  afterAll(() => t?.close());

  const BOTH: [string, string][] = [['resource', ORDERS.uri], ['resource', BILLING.uri], ['scope', 'openid profile orders:read orders:write billing:read']];

  async function tokens(res: Awaited<ReturnType<typeof redeem>>): Promise<{ access: string; refresh: string; body: Record<string, unknown> }> {
    expect(res.status, res.text).toBe(200);
    return { access: String(res.body.access_token), refresh: String(res.body.refresh_token), body: res.body };
  }

  it("gives the grant's only resource when the token request names none: its scopes, format and TTL", async () => {
    const grant = await authorizationCode(browser, WEB, [['resource', ORDERS.uri], ['scope', 'openid profile orders:read']]);
    const { access, body } = await tokens(await redeem(t, WEB, grant));
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 120, scope: 'orders:read' });
    expect(typeof body.id_token).toBe('string');
    expect(jwtPayload(String(body.id_token)).aud).toBe(WEB.clientId);
    expect(access.split('.')).toHaveLength(1);
    expect(await introspect(t, access)).toMatchObject({ active: true, aud: ORDERS.uri, scope: 'orders:read', sub: 'user-alice' });
    expect((await getMe(t.url, access)).status).toBe(401);
  });

  it('picks one of several resources per token request, and another at each refresh', async () => {
    const grant = await authorizationCode(browser, WEB, BOTH);
    const first = await tokens(await redeem(t, WEB, grant, [['resource', BILLING.uri]]));
    expect(first.body).toMatchObject({ expires_in: 3600, scope: 'billing:read' });
    expect(jwtPayload(first.access)).toMatchObject({ aud: BILLING.uri, scope: 'billing:read', sub: 'user-alice' });

    const second = await tokens(await refresh(t, WEB, first.refresh, [['resource', ORDERS.uri]]));
    expect(second.body).toMatchObject({ expires_in: 120, scope: 'orders:read orders:write' });
    expect(await introspect(t, second.access)).toMatchObject({ active: true, aud: ORDERS.uri });

    const narrowed = await tokens(await refresh(t, WEB, second.refresh, [['resource', ORDERS.uri], ['scope', 'orders:read']]));
    expect(narrowed.body.scope).toBe('orders:read');

    // No resource named, several in the grant: the default audience, with only the scopes of no resource.
    const own = await tokens(await refresh(t, WEB, narrowed.refresh));
    expect(own.body).toMatchObject({ expires_in: 3600, scope: 'openid profile' });
    expect(jwtPayload(own.access)).toMatchObject({ aud: TEST_ISSUER, scope: 'openid profile' });
    expect((await getMe(t.url, own.access)).status).toBe(200);

    // Every rotation kept both resources.
    const rows = await tableRows(t.app, 'RefreshTokenEntity');
    const latest = rows.find((row) => row.token_hash === sha256(own.refresh))!;
    expect(JSON.parse(String(latest.resources))).toEqual([ORDERS.uri, BILLING.uri]);
  });

  it('refuses a resource the grant was not authorized for, and several resources at once; the code stays usable', async () => {
    const grant = await authorizationCode(browser, WEB, [['resource', BILLING.uri]]);
    const before = await accessTokenRows(t);
    expectError(await redeem(t, WEB, grant, [['resource', ORDERS.uri]]), 'invalid_target');
    expectError(await redeem(t, WEB, grant, [['resource', BILLING.uri], ['resource', ORDERS.uri]]), 'invalid_target');
    expectError(await redeem(t, WEB, grant, [['resource', 'https://unknown.example.test']]), 'invalid_target');
    expect(await accessTokenRows(t)).toBe(before);
    const { access } = await tokens(await redeem(t, WEB, grant, [['resource', BILLING.uri]]));
    expect(jwtPayload(access).aud).toBe(BILLING.uri);
  });

  it("refuses at refresh a resource outside the grant, and an explicit scope outside the resource's", async () => {
    const grant = await authorizationCode(browser, WEB, BOTH);
    const { refresh: refreshToken } = await tokens(await redeem(t, WEB, grant, [['resource', ORDERS.uri]]));
    const before = await accessTokenRows(t);
    expectError(await refresh(t, WEB, refreshToken, [['resource', ORDERS.uri], ['scope', 'orders:read billing:read']]), 'invalid_scope');
    expectError(await refresh(t, WEB, refreshToken, [['resource', 'urn:example:other']]), 'invalid_target');
    expect(await accessTokenRows(t)).toBe(before);
    // The refused requests did not use the refresh token up.
    expect((await refresh(t, WEB, refreshToken, [['resource', BILLING.uri]])).status).toBe(200);
  });

  it("keeps today's tokens for a grant without resources, and refuses a resource at its token requests", async () => {
    const grant = await authorizationCode(browser, WEB, [['scope', 'openid profile orders:read']]);
    expectError(await redeem(t, WEB, grant, [['resource', ORDERS.uri]]), 'invalid_target');
    const first = await tokens(await redeem(t, WEB, grant));
    expect(first.body).toMatchObject({ expires_in: 3600, scope: 'openid profile orders:read' });
    expect(jwtPayload(first.access)).toMatchObject({ aud: TEST_ISSUER, scope: 'openid profile orders:read' });
    expectError(await refresh(t, WEB, first.refresh, [['resource', BILLING.uri]]), 'invalid_target');
    const second = await tokens(await refresh(t, WEB, first.refresh));
    expect(jwtPayload(second.access).aud).toBe(TEST_ISSUER);
  });
});
