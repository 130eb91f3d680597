import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_EVENTS } from '../../src/index.js';
import { authorizePath, authorizeWithLogin, clientRedirect, pkce, TestBrowser } from '../support/authorization-flow.js';
import { bootFlowApp, codeRequest, FIRST, WEB } from '../support/flow-app.js';
import { basic, postForm, type TestResponse } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp, oidcLogin, redeemCode, refreshTokens, RP } from '../support/oidc-app.js';
import type { TestApp } from '../support/test-app.js';
import { collectorOf, EventCollectorModule, expectAuditMatches, expectEventContext, namesOf, SecretLedger, tokenIdOf, webLogin, type EventCollector } from './support.js';

const ALICE = { subject: 'user-alice' };

/**
 * Events of the browser flow and what follows it: login (succeeded, failed, rate limited), consent (granted on the
 * page, remembered, denied; none for a first-party client), the code redeemed (and redeemed twice), refresh,
 * refresh-token reuse, revocation, logout. Each with its client and subject, the request id when the app gives one, no
 * secret anywhere; the audit table holds the same events.
 */
describe.each(testMatrix())('browser flow events on %s/%s', (platform, db) => {
  let t: TestApp;
  let collector: EventCollector;
  const secrets = new SecretLedger();

  beforeAll(async () => {
    t = await bootFlowApp(platform, db, {
      imports: [EventCollectorModule],
      options: {
        audit: { store: true },
        refreshToken: { reuseGrace: 0 },
        loginRateLimit: { perAccount: { max: 3, window: 900 }, perAddress: { max: 1000, window: 900 } },
      },
    });
    collector = collectorOf(t);
    secrets.add(WEB.clientSecret, 'alice-password', 'bob-password', 'wrong-password-1');
  });
  afterAll(() => t?.close());

  it('code + PKCE: login and consent on the pages, then the code redeemed for tokens', async () => {
    let result: Awaited<ReturnType<typeof webLogin>> | undefined;
    const events = await collector.during(async () => (result = await webLogin(t, secrets)));
    expect(namesOf(events)).toEqual([AUTH_EVENTS.loginSucceeded, AUTH_EVENTS.consentGranted, AUTH_EVENTS.tokenIssued]);
    const [login, consent, issued] = events.map((collected) => collected.event);
    expect(login).toMatchObject({ ...ALICE, clientId: 'web' });
    expect(consent).toMatchObject({ ...ALICE, clientId: 'web', scope: 'profile email', remembered: false });
    expect(issued).toMatchObject({
      ...ALICE,
      clientId: 'web',
      grantType: 'authorization_code',
      scope: 'profile email',
      tokenId: tokenIdOf(result!.tokens.body.access_token as string),
      format: 'jwt',
      refreshTokenIssued: true,
      idTokenIssued: false,
      senderConstrained: false,
    });
    expectEventContext(issued!, result!.tokens);
  });

  it('a first-party client is never asked: a login, no consent event', async () => {
    const browser = new TestBrowser(t);
    const events = await collector.during(async () => clientRedirect(await authorizeWithLogin(browser, codeRequest(FIRST, pkce().challenge)), FIRST.redirectUris![0]!));
    expect(namesOf(events)).toEqual([AUTH_EVENTS.loginSucceeded]);
    expect(events[0]!.event).toMatchObject({ ...ALICE, clientId: 'first' });
  });

  it('a remembered consent answers at once and is reported as remembered', async () => {
    const { browser } = await webLogin(t, secrets);
    let start: TestResponse | undefined;
    const events = await collector.during(async () => (start = await browser.get(authorizePath(codeRequest(WEB, pkce().challenge)))));
    secrets.add(clientRedirect(start!, WEB.redirectUris![0]!).get('code'));
    expect(namesOf(events)).toEqual([AUTH_EVENTS.consentGranted]);
    expect(events[0]!.event).toMatchObject({ ...ALICE, clientId: 'web', scope: 'profile email', remembered: true });
    expectEventContext(events[0]!.event, start);
  });

  it('a denial is reported with who denied which client what', async () => {
    const events = await collector.during(async () => {
      const done = await authorizeWithLogin(new TestBrowser(t), codeRequest(WEB, pkce().challenge), { username: 'bob', password: 'bob-password', decision: 'deny' });
      expect(clientRedirect(done, WEB.redirectUris![0]!).get('error')).toBe('access_denied');
    });
    expect(namesOf(events)).toEqual([AUTH_EVENTS.loginSucceeded, AUTH_EVENTS.consentDenied]);
    expect(events[1]!.event).toMatchObject({ subject: 'user-bob', clientId: 'web', scope: 'profile email' });
  });

  it('failed logins name the user name typed and the client, never the password; the limit is reported as rate_limited', async () => {
    const attempt = () => authorizeWithLogin(new TestBrowser(t), codeRequest(WEB, pkce().challenge), { username: 'bob', password: 'wrong-password-1' });
    const events = await collector.during(async () => {
      for (const status of [400, 400, 400, 429]) expect((await attempt()).status).toBe(status);
    });
    expect(namesOf(events)).toEqual(Array(4).fill(AUTH_EVENTS.loginFailed));
    expect(events.map((collected) => collected.event.reason)).toEqual(['invalid_credentials', 'invalid_credentials', 'invalid_credentials', 'rate_limited']);
    for (const { event } of events) expect(event).toMatchObject({ username: 'bob', clientId: 'web' });
  });

  it('a refresh is issued and refreshed; the rotated token presented again is reuse: detected, and the family revoked', async () => {
    const { tokens } = await webLogin(t, secrets);
    const first = tokens.body.refresh_token as string;
    let refreshed: TestResponse | undefined;
    const events = await collector.during(async () => (refreshed = await refreshTokens(t, WEB, first)));
    expect(refreshed!.status, refreshed!.text).toBe(200);
    secrets.addTokens(refreshed!);
    expect(namesOf(events)).toEqual([AUTH_EVENTS.tokenIssued, AUTH_EVENTS.tokenRefreshed]);
    const tokenId = tokenIdOf(refreshed!.body.access_token as string);
    expect(events[0]!.event).toMatchObject({ ...ALICE, clientId: 'web', grantType: 'refresh_token', tokenId, refreshTokenIssued: true });
    expect(events[1]!.event).toMatchObject({ ...ALICE, clientId: 'web', scope: 'profile email', tokenId, rotated: true });

    let reused: TestResponse | undefined;
    const reuse = await collector.during(async () => (reused = await refreshTokens(t, WEB, first)));
    expect(reused!.body.error).toBe('invalid_grant');
    expect(namesOf(reuse)).toEqual([AUTH_EVENTS.refreshReuseDetected, AUTH_EVENTS.tokenRevoked]);
    expect(reuse[0]!.event).toMatchObject({ ...ALICE, clientId: 'web' });
    expect(reuse[1]!.event).toMatchObject({ ...ALICE, clientId: 'web', tokenType: 'refresh_token', reason: 'refresh-reuse' });
    expectEventContext(reuse[0]!.event, reused);
  });

  it('revoking a refresh token (RFC 7009) and redeeming a code twice are reported as revocations', async () => {
    const { tokens, code } = await webLogin(t, secrets);
    const revoke = () => postForm(`${t.url}/oauth/revoke`, { token: tokens.body.refresh_token as string }, { authorization: basic('web', WEB.clientSecret!) });
    const revoked = await collector.during(revoke);
    expect(namesOf(revoked)).toEqual([AUTH_EVENTS.tokenRevoked]);
    expect(revoked[0]!.event).toMatchObject({ ...ALICE, clientId: 'web', tokenType: 'refresh_token', reason: 'revocation-endpoint' });

    const second = await webLogin(t, secrets);
    const replay = await collector.during(async () => {
      const res = await redeemCode(t, WEB, second.code, 'a-verifier-that-does-not-matter-0123456789abc');
      expect(res.body.error).toBe('invalid_grant');
    });
    expect(namesOf(replay)).toEqual([AUTH_EVENTS.tokenRevoked]);
    expect(replay[0]!.event).toMatchObject({ ...ALICE, clientId: 'web', tokenType: 'refresh_token', reason: 'code-replay' });
    expect(code).not.toBe(second.code);
  });

  it('stores exactly the events the listener received, and no event or row holds a secret', async () => {
    const stored = await expectAuditMatches(t, collector.events);
    await secrets.expectNoneIn(collector.events, stored);
  });
});

/** Logout (OpenID Connect RP-Initiated Logout): every token of the session's grants is reported revoked. */
describe.each(testMatrix())('logout events on %s/%s', (platform, db) => {
  let t: TestApp;
  let collector: EventCollector;
  const secrets = new SecretLedger();

  beforeAll(async () => {
    t = await bootOidcApp(platform, db, { imports: [EventCollectorModule], options: { audit: { store: true } } });
    collector = collectorOf(t);
    secrets.add(RP.clientSecret, 'alice-password');
  });
  afterAll(() => t?.close());

  it('reports the ID token issued, then one revocation per access token and refresh-token family of the session', async () => {
    const login = await oidcLogin(t, RP);
    secrets.add(login.tokens.access_token, login.tokens.refresh_token, login.idToken);
    const issued = collector.named(AUTH_EVENTS.tokenIssued).at(-1);
    expect(issued).toMatchObject({ ...ALICE, clientId: 'rp', idTokenIssued: true, refreshTokenIssued: true });

    const events = await collector.during(async () => {
      const res = await login.browser.post('/oauth/logout', { id_token_hint: login.idToken });
      expect([200, 303]).toContain(res.status);
    });
    const revocations = events.filter((collected) => collected.name === AUTH_EVENTS.tokenRevoked).map((collected) => collected.event);
    expect(revocations).toHaveLength(2);
    expect(revocations).toContainEqual(expect.objectContaining({ ...ALICE, clientId: 'rp', tokenType: 'refresh_token', reason: 'logout' }));
    expect(revocations).toContainEqual(
      expect.objectContaining({ ...ALICE, clientId: 'rp', tokenType: 'access_token', tokenId: tokenIdOf(login.tokens.access_token as string), reason: 'logout' }),
    );
    const stored = await expectAuditMatches(t, collector.events);
    await secrets.expectNoneIn(collector.events, stored);
  });
});
