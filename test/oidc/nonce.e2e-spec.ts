import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSeed } from '../../src/index.js';
import { authorizePath, authorizeWithLogin, clientRedirect, formOf, pkce, sha256, tableRows, TestBrowser } from '../support/authorization-flow.js';
import { basic, postForm, request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp, oidcLogin, oidcRequest, PUBLIC_RP, redeemCode, RP } from '../support/oidc-app.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import { authorize, redirectError, rowCounts, verifyIdToken } from './support/id-token-helpers.js';

/** An OpenID request of `client` without a nonce (and, when `challenge` is undefined, without PKCE). */
function withoutNonce(client: ClientSeed, challenge: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
  const params = oidcRequest(client, challenge ?? '', extra);
  delete params.nonce;
  if (challenge === undefined) {
    delete params.code_challenge;
    delete params.code_challenge_method;
  }
  return params;
}

const ID_TOKEN_TTL = 600;
const CODE_TTL = 60; // authorization.codeTtl's default
const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2)}-${Date.now()}`;

/**
 * Nonce rules (OpenID Connect Core 3.1.2.1, 15.5.2; OAuth 2.1 7.5.1): with PKCE a nonce is optional (OIDF
 * oidcc-ensure-request-without-nonce-succeeds-for-code-flow); a nonce a client used is refused for
 * `authorization.codeTtl` + `oidc.idTokenTtl` before any page (Authlib 155), also when two logins with it finish at once; other clients may
 * use it; only SHA-256 hashes are stored.
 */
describe.each(testMatrix())('nonce replay on %s/%s', (platform, db) => {
  let t: TestApp;
  const clock = new FakeClock();
  beforeAll(async () => {
    t = await bootOidcApp(platform, db, { clock, options: { oidc: { idTokenTtl: ID_TOKEN_TTL } } });
  });
  afterAll(() => t?.close());

  it('with PKCE a request without nonce succeeds, and the ID token has no nonce (OIDF)', async () => {
    const { verifier, challenge } = pkce();
    const done = await authorizeWithLogin(new TestBrowser(t), withoutNonce(RP, challenge));
    const res = await redeemCode(t, RP, clientRedirect(done, 'https://rp.test/cb').get('code')!, verifier);
    expect(res.status, res.text).toBe(200);
    const { payload } = await verifyIdToken(t, res.body.id_token as string, 'rp', clock.now());
    expect(payload.sub).toBe('user-alice');
    expect(payload).not.toHaveProperty('nonce');
  });

  it('refuses a nonce the client used before any page, with or without a session; another client may use it (155)', async () => {
    const nonce = unique('replayed');
    const alice = await oidcLogin(t, RP, { extra: { nonce } });
    const before = await rowCounts(t);
    for (const browser of [new TestBrowser(t), alice.browser]) {
      for (const prompt of [{}, { prompt: 'none' }] as Record<string, string>[]) {
        const { res } = await authorize(browser, RP, { nonce, ...prompt });
        expect(redirectError(res, RP, t)).toBe('invalid_request');
        expect(clientRedirect(res, 'https://rp.test/cb').get('error_description')).toBe('The nonce was used before');
      }
    }
    expect(await rowCounts(t)).toEqual(before);
    const other = await oidcLogin(t, PUBLIC_RP, { extra: { nonce } });
    expect(other.claims.nonce).toBe(nonce);
  });

  it('of logins with one nonce finishing at once, exactly one gets a code (155)', async () => {
    await oidcLogin(t, RP); // alice has consented: each login below ends with the response
    const nonce = unique('raced');
    const pages = await Promise.all(
      [1, 2, 3, 4].map(async () => {
        const browser = new TestBrowser(t);
        const page = await browser.follow(await browser.get(authorizePath(oidcRequest(RP, pkce().challenge, { nonce }))));
        return { browser, form: formOf(page.text) };
      }),
    );
    const answers = await Promise.all(
      pages.map(({ browser, form }) => browser.post(form.action, { csrf: form.csrf, username: 'alice', password: 'alice-password' })),
    );
    const outcomes = answers.map((res) => clientRedirect(res, 'https://rp.test/cb'));
    expect(outcomes.filter((params) => params.get('code')).length).toBe(1);
    expect(outcomes.filter((params) => params.get('error') === 'invalid_request').length).toBe(3);
    expect((await tableRows(t.app, 'AuthorizationCodeEntity')).filter((row) => row.nonce === nonce)).toHaveLength(1);
  });

  it('accepts the nonce again once authorization.codeTtl + oidc.idTokenTtl have passed', async () => {
    const nonce = unique('expiring');
    await oidcLogin(t, RP, { extra: { nonce } });
    clock.advance(CODE_TTL + ID_TOKEN_TTL - 1);
    expect(redirectError((await authorize(new TestBrowser(t), RP, { nonce })).res, RP, t)).toBe('invalid_request');
    clock.advance(2);
    const again = await oidcLogin(t, RP, { extra: { nonce } });
    expect(again.claims.nonce).toBe(nonce);
  });

  it('stores only SHA-256 of client id and nonce in authnest_nonces', async () => {
    const nonce = unique('stored-nonce');
    const usedAt = clock.now();
    await oidcLogin(t, RP, { extra: { nonce } });
    const rows = await tableRows(t.app, 'NonceEntity');
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['expires_at', 'id']);
      expect(row.id).toMatch(/^[0-9a-f]{64}$/);
    }
    const row = rows.find((candidate) => candidate.id === sha256(`rp\u0000${nonce}`));
    expect(row).toBeDefined();
    expect(Number(row!.expires_at)).toBe(usedAt + (CODE_TTL + ID_TOKEN_TTL) * 1000);
    expect(JSON.stringify(rows)).not.toContain(nonce);
    expect(JSON.stringify(rows)).not.toContain('stored-nonce');
  });
});

/** `oidc.requireNonce: true` (Authlib 154): an OpenID request without nonce is invalid_request, PKCE or not. */
describe.each(testMatrix())('oidc.requireNonce on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootOidcApp(platform, db, { options: { oidc: { requireNonce: true } } });
  });
  afterAll(() => t?.close());

  it('refuses an OpenID request without nonce with invalid_request, state and iss, nothing created', async () => {
    const before = await rowCounts(t);
    for (const client of [RP, PUBLIC_RP]) {
      const res = await request(`${t.url}${authorizePath(withoutNonce(client, pkce().challenge))}`);
      expect(redirectError(res, client, t)).toBe('invalid_request');
      expect(clientRedirect(res, client.redirectUris![0]!).get('error_description')).toBe('The nonce parameter is required');
    }
    expect(await rowCounts(t)).toEqual(before);
  });

  it('accepts it with a nonce, and a request without openid needs none', async () => {
    const login = await oidcLogin(t, RP);
    expect(login.claims.nonce).toBe(login.params.nonce);
    const browser = new TestBrowser(t);
    const page = await browser.follow(await browser.get(authorizePath(withoutNonce(RP, pkce().challenge, { scope: 'profile' }))));
    expect(page.text).toContain('name="password"');
  });
});

/**
 * `authorization.pkce: 'public-clients'` (checklist 12; OAuth 2.1 7.5.1): a confidential client may skip PKCE only
 * with a nonce, which the ID token then carries; public clients still need PKCE.
 */
describe.each(testMatrix())('nonce instead of PKCE on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootOidcApp(platform, db, { options: { authorization: { pkce: 'public-clients' } } });
  });
  afterAll(() => t?.close());

  it('a confidential OpenID request without code_challenge and without nonce is invalid_request, nothing created (12)', async () => {
    const before = await rowCounts(t);
    const res = await request(`${t.url}${authorizePath(withoutNonce(RP, undefined))}`);
    expect(redirectError(res, RP, t)).toBe('invalid_request');
    expect(clientRedirect(res, 'https://rp.test/cb').get('error_description')).toBe('The nonce parameter is required');
    // A public client needs PKCE, nonce or not.
    const spa = await request(`${t.url}${authorizePath({ ...withoutNonce(PUBLIC_RP, undefined), nonce: unique('spa') })}`);
    expect(redirectError(spa, PUBLIC_RP, t)).toBe('invalid_request');
    expect(clientRedirect(spa, 'https://public.test/cb').get('error_description')).toBe('A PKCE code_challenge is required (RFC 7636)');
    expect(await rowCounts(t)).toEqual(before);
  });

  it('with a nonce it succeeds without PKCE, and the ID token echoes the nonce (12)', async () => {
    const params = { ...withoutNonce(RP, undefined), nonce: unique('no-pkce') };
    const done = await authorizeWithLogin(new TestBrowser(t), params);
    const code = clientRedirect(done, 'https://rp.test/cb').get('code')!;
    const res = await postForm(
      `${t.url}/oauth/token`,
      { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.test/cb' },
      { authorization: basic('rp', RP.clientSecret!) },
    );
    expect(res.status, res.text).toBe(200);
    expect((await verifyIdToken(t, res.body.id_token as string, 'rp')).payload.nonce).toBe(params.nonce);
  });
});
