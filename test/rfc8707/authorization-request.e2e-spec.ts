/**
 * `resource` at the authorization endpoint (RFC 8707 section 2.1): repeatable; each value configured (exact match)
 * and allowed for the client, else `invalid_target` to the client's redirect URI with `state` and `iss`, creating
 * nothing. Scopes: an explicit scope of a resource that was not named is `invalid_scope`; scopes of no resource
 * (openid, profile) always fit; default scopes are narrowed. The code carries the resources it was issued for, also
 * when they were pushed (RFC 9126).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientRedirect, pkce, sha256, tableRows, type TestBrowser } from '../support/authorization-flow.js';
import { basic, postForm, type TestResponse } from '../support/http.js';
import { createdRows } from '../support/flow-app.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { aliceBrowser, authorize, authorizationCode, bootResourceFlowApp, LIMITED_WEB, WEB } from './support/flow.js';
import { BILLING, expectError, ORDERS } from './support/resources.js';

/** POSTs a form (with repeated names) to an endpoint of the app as the WEB client (Basic). */
function postAsWeb(t: TestApp, path: string, pairs: [string, string][]): Promise<TestResponse> {
  return postForm(`${t.url}${path}`, new URLSearchParams(pairs).toString(), { authorization: basic(WEB.clientId, WEB.clientSecret) });
}

describe.each(testMatrix())('resource indicators at the authorization endpoint on %s/%s', (platform, db) => {
  let t: TestApp;
  let browser: TestBrowser;

  beforeAll(async () => {
    t = await bootResourceFlowApp(platform, db);
    browser = await aliceBrowser(t);
  });
  afterAll(() => t?.close());

  /** The stored row of a code (found by its SHA-256, as the server stores it). */
  async function codeRow(grant: { code: string }): Promise<Record<string, unknown>> {
    const rows = await tableRows(t.app, 'AuthorizationCodeEntity');
    return rows.find((row) => row.code_hash === sha256(grant.code))!;
  }

  /** Asserts the request is answered with `error` at the redirect URI and created no code or interaction. */
  async function refusedToClient(pairs: [string, string][], error: string, client = WEB): Promise<void> {
    const before = await createdRows(t);
    const { res } = await authorize(browser, client, pairs);
    const params = clientRedirect(res, client.redirectUri);
    expect(params.get('error')).toBe(error);
    expect(params.get('state')).toBe('st-8707');
    expect(params.get('iss')).toBe(t.issuer);
    expect(params.get('code')).toBeNull();
    expect(await createdRows(t)).toEqual(before);
  }

  it.each([
    ['an unknown resource', 'https://unknown.example.test'],
    ['a resource differing in case', 'https://ORDERS.example.test'],
    ['a relative URI', 'orders'],
    ['a URI with a fragment', `${ORDERS.uri}#x`],
  ])('answers invalid_target for %s', async (_name, value) => {
    await refusedToClient([['resource', value], ['scope', 'profile']], 'invalid_target');
  });

  it('answers invalid_target when one of several resources is unknown', async () => {
    await refusedToClient([['resource', ORDERS.uri], ['resource', 'https://unknown.example.test']], 'invalid_target');
  });

  it('answers invalid_target for more than 10 resources', async () => {
    const many = Array.from({ length: 11 }, (_, i): [string, string] => ['resource', `https://r${i}.example.test`]);
    await refusedToClient(many, 'invalid_target');
  });

  it("answers invalid_target for a resource outside the client's list", async () => {
    await refusedToClient([['resource', ORDERS.uri]], 'invalid_target', LIMITED_WEB);
    await authorizationCode(browser, LIMITED_WEB, [['resource', BILLING.uri]]);
  });

  it('answers invalid_scope for an explicit scope of a resource that was not named', async () => {
    await refusedToClient([['resource', ORDERS.uri], ['scope', 'orders:read billing:read']], 'invalid_scope');
  });

  it('shows an error page, not a redirect, for a resource value with a space (a malformed parameter)', async () => {
    const before = await createdRows(t);
    const { res } = await authorize(browser, WEB, [['resource', `${ORDERS.uri} ${BILLING.uri}`]]);
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await createdRows(t)).toEqual(before);
  });

  it('binds the code to the resources named (repeated, duplicates once) with scopes of no resource kept', async () => {
    const grant = await authorizationCode(browser, WEB, [
      ['resource', ORDERS.uri],
      ['resource', BILLING.uri],
      ['resource', ORDERS.uri],
      ['scope', 'openid profile orders:read billing:read'],
    ]);
    const row = await codeRow(grant);
    expect(JSON.parse(String(row.resources))).toEqual([ORDERS.uri, BILLING.uri]);
    expect(JSON.parse(String(row.scopes))).toEqual(['openid', 'profile', 'orders:read', 'billing:read']);
  });

  it("narrows the client's default scopes to the resources named and the scopes of no resource", async () => {
    const row = await codeRow(await authorizationCode(browser, WEB, [['resource', BILLING.uri]]));
    expect(JSON.parse(String(row.resources))).toEqual([BILLING.uri]);
    expect(JSON.parse(String(row.scopes))).toEqual(['profile', 'billing:read']);
  });

  it('carries repeated resources through a pushed authorization request (RFC 9126), and refuses unknown ones there', async () => {
    const { challenge } = pkce();
    const base: [string, string][] = [
      ['response_type', 'code'],
      ['redirect_uri', WEB.redirectUri],
      ['code_challenge', challenge],
      ['code_challenge_method', 'S256'],
      ['scope', 'profile orders:read billing:read'],
    ];
    expectError(await postAsWeb(t, '/oauth/par', [...base, ['resource', 'https://unknown.example.test']]), 'invalid_target');
    const pushed = await postAsWeb(t, '/oauth/par', [...base, ['resource', ORDERS.uri], ['resource', BILLING.uri]]);
    expect(pushed.status, pushed.text).toBe(201);
    const query = new URLSearchParams({ client_id: WEB.clientId, request_uri: String(pushed.body.request_uri) });
    const params = clientRedirect(await browser.get(`/oauth/authorize?${query.toString()}`), WEB.redirectUri);
    const row = await codeRow({ code: params.get('code')! });
    expect(JSON.parse(String(row.resources))).toEqual([ORDERS.uri, BILLING.uri]);
  });

  it('issues a code without resources as before', async () => {
    const row = await codeRow(await authorizationCode(browser, WEB, [['scope', 'profile orders:read billing:read']]));
    expect(JSON.parse(String(row.resources))).toEqual([]);
    expect(JSON.parse(String(row.scopes))).toEqual(['profile', 'orders:read', 'billing:read']);
  });
});
