import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSeed } from '../../src/index.js';
import { authorizePath, clientRedirect, pkce } from '../support/authorization-flow.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp, OIDC_SCOPES, oidcLogin, oidcRequest, PAIRWISE_RP, PUBLIC_RP, refreshTokens, RP, userinfo, verifyWithJwks } from '../support/oidc-app.js';
import type { TestApp } from '../support/test-app.js';
import { aliceAnswer, claimsParam, expectUserInfo, silentTokens } from './support/claims-helpers.js';

function pairwise(clientId: string, redirectUris: string[], sectorIdentifier?: string): ClientSeed {
  return {
    clientId,
    clientSecret: `${clientId}-secret-0001`,
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: OIDC_SCOPES,
    redirectUris,
    subjectType: 'pairwise',
    ...(sectorIdentifier ? { sectorIdentifier } : {}),
  };
}

/** Another pairwise RP on another host. */
const OTHER_PAIRWISE = pairwise('other-pairwise', ['https://other-pairwise.test/cb']);
/** Two pairwise RPs of one sector, on three hosts. */
const SECTOR_A = pairwise('sector-a', ['https://a.sector-app.test/cb', 'https://b.sector-app.test/cb'], 'sector.test');
const SECTOR_B = pairwise('sector-b', ['https://c.sector-app.test/cb'], 'sector.test');
/** A pairwise RP on another host whose sector is PAIRWISE_RP's host. */
const SAME_SECTOR_AS_HOST = pairwise('pairwise-mobile', ['https://pairwise-mobile.test/cb'], 'pairwise.test');

const CLIENTS = [RP, PUBLIC_RP, PAIRWISE_RP, OTHER_PAIRWISE, SECTOR_A, SECTOR_B, SAME_SECTOR_AS_HOST];
const SALT = 'pairwise-salt-for-tests-0123456789abcdef';

/**
 * Pairwise subject identifiers (OpenID Connect Core section 8.1): a pairwise client sees a `sub` that is not the
 * account id, the same in the ID token and at UserInfo, stable across logins and refreshes; clients of other sectors
 * see other values, clients sharing a `sectorIdentifier` (or whose sector is the same host) the same one; the salt
 * (`oidc.pairwiseSalt`) changes every pairwise value and nothing else. Public clients see the account id. An
 * `id_token_hint` (section 3.1.2.1) or a `sub` value in `claims` (5.5.1) carrying the pairwise value selects the
 * session's user for that client. (Logout tokens are covered by the back-channel logout suite.)
 */
describe.each(testMatrix())('pairwise subjects on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootOidcApp(platform, db, { clients: CLIENTS });
  });
  afterAll(() => t?.close());

  async function subOf(app: TestApp, client: ClientSeed, username = 'alice'): Promise<string> {
    const login = await oidcLogin(app, client, { username });
    const fromUserInfo = expectUserInfo(await userinfo(app, login.tokens.access_token as string)).sub;
    expect(fromUserInfo).toBe(login.claims.sub);
    return login.claims.sub!;
  }

  it('a pairwise client sees a sub that is not the account id, the same in the ID token and at UserInfo', async () => {
    const login = await oidcLogin(t, PAIRWISE_RP);
    const sub = login.claims.sub!;
    expect(sub).not.toContain('alice');
    expect(sub).toMatch(/^[\x21-\x7E]{1,255}$/);
    expect((await verifyWithJwks(t, login.idToken)).sub).toBe(sub);
    expect(expectUserInfo(await userinfo(t, login.tokens.access_token as string))).toEqual(aliceAnswer(sub, 'profile', 'email'));
  });

  it('is stable across logins and refreshes', async () => {
    const first = await oidcLogin(t, PAIRWISE_RP);
    const second = await oidcLogin(t, PAIRWISE_RP, { extra: { scope: 'openid' } });
    expect(second.claims.sub).toBe(first.claims.sub);
    const refreshed = await refreshTokens(t, PAIRWISE_RP, second.tokens.refresh_token as string);
    expect(refreshed.status, refreshed.text).toBe(200);
    expect((await verifyWithJwks(t, refreshed.body.id_token as string)).sub).toBe(first.claims.sub);
    expect(expectUserInfo(await userinfo(t, refreshed.body.access_token as string))).toEqual({ sub: first.claims.sub });
  });

  it('differs per user and per sector; clients of one sector see one sub', async () => {
    const alice = await subOf(t, PAIRWISE_RP);
    const bob = await subOf(t, PAIRWISE_RP, 'bob');
    const other = await subOf(t, OTHER_PAIRWISE);
    const sectorA = await subOf(t, SECTOR_A);
    const sectorAOtherHost = await subOf(t, { ...SECTOR_A, redirectUris: [SECTOR_A.redirectUris![1]!] });
    const sectorB = await subOf(t, SECTOR_B);
    const sameHost = await subOf(t, SAME_SECTOR_AS_HOST);
    expect(new Set([alice, bob, other, sectorA]).size).toBe(4);
    expect(sectorAOtherHost).toBe(sectorA);
    expect(sectorB).toBe(sectorA);
    expect(sameHost).toBe(alice);
    for (const sub of [alice, other, sectorA]) expect(sub).not.toBe('user-alice');
    expect(bob).not.toBe('user-bob');
  });

  it('public clients keep the account id', async () => {
    expect(await subOf(t, RP)).toBe('user-alice');
    expect(await subOf(t, PUBLIC_RP)).toBe('user-alice');
    expect(await subOf(t, PUBLIC_RP, 'bob')).toBe('user-bob');
  });

  it('oidc.pairwiseSalt changes the pairwise sub (the same salt gives the same sub on another instance), not the public one', async () => {
    const defaultSub = await subOf(t, PAIRWISE_RP);
    const salted = await bootOidcApp(platform, db, { clients: CLIENTS, options: { oidc: { pairwiseSalt: SALT } } });
    const again = await bootOidcApp(platform, db, { clients: CLIENTS, options: { oidc: { pairwiseSalt: SALT } } });
    try {
      const saltedSub = await subOf(salted, PAIRWISE_RP);
      expect(saltedSub).not.toBe(defaultSub);
      expect(saltedSub).not.toBe('user-alice');
      expect(await subOf(again, PAIRWISE_RP)).toBe(saltedSub);
      expect(await subOf(salted, RP)).toBe('user-alice');
    } finally {
      await salted.close();
      await again.close();
    }
  });

  it('id_token_hint or a claims sub value with the pairwise sub: prompt=none gives a code for that client', async () => {
    const alice = await oidcLogin(t, PAIRWISE_RP);
    const sub = alice.claims.sub!;
    const byHint = await silentTokens(t, alice.browser, PAIRWISE_RP, { prompt: 'none', id_token_hint: alice.idToken });
    expect(byHint.claims.sub).toBe(sub);
    const byValue = await silentTokens(t, alice.browser, PAIRWISE_RP, { prompt: 'none', claims: claimsParam({ id_token: { sub: { value: sub } } }) });
    expect(byValue.claims.sub).toBe(sub);
  });

  it('a hint that does not name the session user for this client: login_required; a hint of another client: invalid_request', async () => {
    const alice = await oidcLogin(t, PAIRWISE_RP);
    const bob = await oidcLogin(t, PAIRWISE_RP, { username: 'bob' });
    const other = await oidcLogin(t, OTHER_PAIRWISE);
    const redirect = PAIRWISE_RP.redirectUris![0]!;
    const attempt = async (extra: Record<string, string>) =>
      clientRedirect(await alice.browser.get(authorizePath(oidcRequest(PAIRWISE_RP, pkce().challenge, { prompt: 'none', ...extra }))), redirect);
    expect((await attempt({ id_token_hint: bob.idToken })).get('error')).toBe('login_required');
    // The account id is not this client's sub.
    expect((await attempt({ claims: claimsParam({ id_token: { sub: { value: 'user-alice' } } }) })).get('error')).toBe('login_required');
    expect((await attempt({ id_token_hint: other.idToken })).get('error')).toBe('invalid_request');
    // None of these ended alice's session.
    expect((await silentTokens(t, alice.browser, PAIRWISE_RP, { prompt: 'none' })).claims.sub).toBe(alice.claims.sub);
  });
});
