import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSeed } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp, OIDC_SCOPES, oidcLogin, PUBLIC_RP, refreshTokens, RP, userinfo, verifyWithJwks } from '../support/oidc-app.js';
import type { TestApp } from '../support/test-app.js';
import {
  accountsOf, aliceAnswer, ALICE_GROUPS, ALL_CLAIM_SCOPES, claimsCallsDuring, claimsParam, expectUserInfo, USER_CLAIM_NAMES,
  type ClaimGroup,
} from './support/claims-helpers.js';

/** An ID token has no user claim unless asked for (Core 5.4: with an access token, scope claims go to UserInfo). */
function expectNoUserClaims(claims: Record<string, unknown>): void {
  for (const name of [...USER_CLAIM_NAMES, 'internal_note']) expect(claims[name], name).toBeUndefined();
}

/**
 * Claims by scope (OpenID Connect Core section 5.4; Authlib catalogue 4.19 item 177): `openid` alone releases
 * exactly `sub`; `profile`, `email`, `address` and `phone` each exactly their group (of the claims the account has).
 * Whatever else the AccountService returns (`internal_note`, a fake `sub` and `iss`) is never released, and `sub` is
 * always authnest's own. The AccountService is asked for exactly the names to release, with the target, the client
 * and the request's `claims_locales`.
 */
describe.each(testMatrix())('claims by scope on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootOidcApp(platform, db);
  });
  afterAll(() => t?.close());

  it.each<[string, ClaimGroup[]]>([
    ['openid', []],
    ['openid profile', ['profile']],
    ['openid email', ['email']],
    ['openid address', ['address']],
    ['openid phone', ['phone']],
    [ALL_CLAIM_SCOPES, ['profile', 'email', 'address', 'phone']],
  ])('scope %j: UserInfo answers exactly sub and those groups, the ID token none of them (Authlib 177)', async (scope, groups) => {
    const login = await oidcLogin(t, RP, { extra: { scope } });
    expect(login.tokens.scope).toBe(scope);
    expect(expectUserInfo(await userinfo(t, login.tokens.access_token as string))).toEqual(aliceAnswer('user-alice', ...groups));
    expect(login.claims.sub).toBe('user-alice');
    expectNoUserClaims(login.claims);
  });

  it('never releases internal_note, nor the sub and iss the AccountService returns, even when asked for by name', async () => {
    const claims = claimsParam({
      userinfo: { internal_note: null, sub: null, iss: null, email: null },
      id_token: { internal_note: { essential: true }, iss: null, aud: null, nonce: null },
    });
    const login = await oidcLogin(t, PUBLIC_RP, { extra: { scope: ALL_CLAIM_SCOPES, claims } });
    const payload = await verifyWithJwks(t, login.idToken);
    expect(payload).toMatchObject({ iss: t.issuer, sub: 'user-alice', aud: PUBLIC_RP.clientId, nonce: login.params.nonce });
    expect(payload.internal_note).toBeUndefined();
    const answer = expectUserInfo(await userinfo(t, login.tokens.access_token as string));
    expect(answer).toEqual(aliceAnswer('user-alice', 'profile', 'email', 'address', 'phone'));
  });

  it('asks the AccountService for exactly the names to release, with target, clientId and claims_locales', async () => {
    const claims = claimsParam({ id_token: { name: null, shoe_size: null }, userinfo: { phone_number: null } });
    let login!: Awaited<ReturnType<typeof oidcLogin>>;
    const atLogin = await claimsCallsDuring(t, async () => {
      login = await oidcLogin(t, RP, { extra: { scope: 'openid email', claims, claims_locales: 'de-CH en bad_tag!' } });
    });
    expect(atLogin).toEqual([{ claims: ['name'], target: 'id_token', clientId: 'rp', locales: ['de-CH', 'en'] }]);
    const atUserInfo = await claimsCallsDuring(t, () => userinfo(t, login.tokens.access_token as string));
    expect(atUserInfo).toEqual([
      { claims: ['email', 'email_verified', 'phone_number'], target: 'userinfo', clientId: 'rp', locales: ['de-CH', 'en'] },
    ]);
  });

  it('without claims to release (scope openid alone) the AccountService is not asked, and details carry no locales when none were sent', async () => {
    const login = await oidcLogin(t, RP, { extra: { scope: 'openid' } });
    expect(await claimsCallsDuring(t, () => userinfo(t, login.tokens.access_token as string))).toEqual([]);
    const withEmail = await oidcLogin(t, RP, { extra: { scope: 'openid email' } });
    expect(await claimsCallsDuring(t, () => userinfo(t, withEmail.tokens.access_token as string))).toEqual([
      { claims: ['email', 'email_verified'], target: 'userinfo', clientId: 'rp' },
    ]);
  });

  it('drops null values and claims the account lacks: bob has name and email only', async () => {
    const login = await oidcLogin(t, RP, { extra: { scope: ALL_CLAIM_SCOPES }, username: 'bob' });
    expect(expectUserInfo(await userinfo(t, login.tokens.access_token as string))).toEqual({
      sub: 'user-bob',
      name: 'Bob',
      email: 'bob@example.com',
      email_verified: false,
    });
  });
});

const EMPLOYEE_SCOPES = [...OIDC_SCOPES, 'employee'];

/** A client allowed the custom `employee` scope as well. */
const STAFF_RP: ClientSeed = { ...RP, clientId: 'staff-rp', clientSecret: 'staff-secret-00001', scopes: EMPLOYEE_SCOPES, redirectUris: ['https://staff.test/cb'] };

/**
 * The claim options (OpenID Connect Core section 5.4): `oidc.scopeClaimsInIdToken` puts the claims of the granted
 * scopes in the ID token too; `oidc.scopeClaims` makes more scopes release claims (an existing scope such as
 * `posts:read`, or a custom one). The UserInfo answer is unchanged by the first option.
 */
describe.each(testMatrix())('claim options on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootOidcApp(platform, db, {
      clients: [STAFF_RP],
      options: {
        scopes: EMPLOYEE_SCOPES,
        oidc: { scopeClaimsInIdToken: true, scopeClaims: { 'posts:read': ['website'], employee: ['department', 'employee_number'] } },
      },
    });
    accountsOf(t).add('user-dave', {
      username: 'dave',
      password: 'dave-password',
      claims: { name: 'Dave', website: 'https://dave.example', department: 'R&D', email: 'dave@example.com', salary: 1 },
    });
  });
  afterAll(() => t?.close());

  it('scopeClaimsInIdToken: the scope claims are in the ID token and at UserInfo', async () => {
    const login = await oidcLogin(t, STAFF_RP, { extra: { scope: 'openid profile email' } });
    const expected = aliceAnswer('user-alice', 'profile', 'email');
    expect(await verifyWithJwks(t, login.idToken)).toMatchObject(expected);
    for (const name of [...ALICE_GROUPS.address, ...ALICE_GROUPS.phone, 'internal_note']) expect(login.claims[name], name).toBeUndefined();
    expect(expectUserInfo(await userinfo(t, login.tokens.access_token as string))).toEqual(expected);
  });

  it('scopeClaims: posts:read releases website, the custom employee scope its claims; nothing else comes along', async () => {
    const posts = await oidcLogin(t, STAFF_RP, { extra: { scope: 'openid posts:read' }, username: 'dave' });
    expect(expectUserInfo(await userinfo(t, posts.tokens.access_token as string))).toEqual({ sub: 'user-dave', website: 'https://dave.example' });
    expect(posts.claims).toMatchObject({ sub: 'user-dave', website: 'https://dave.example' });
    expect(posts.claims.name).toBeUndefined();
    const staff = await oidcLogin(t, STAFF_RP, { extra: { scope: 'openid employee' }, username: 'dave' });
    expect(expectUserInfo(await userinfo(t, staff.tokens.access_token as string))).toEqual({ sub: 'user-dave', department: 'R&D' });
    const oauthOnly = await oidcLogin(t, STAFF_RP, { extra: { scope: 'employee posts:read' }, username: 'dave' });
    expect(oauthOnly.tokens.id_token).toBeUndefined();
  });

  it('the claims parameter may name a claim of a custom scope (it is supported), and a claim no scope releases stays out', async () => {
    const claims = claimsParam({ userinfo: { department: null, salary: null } });
    const login = await oidcLogin(t, STAFF_RP, { extra: { scope: 'openid', claims }, username: 'dave' });
    expect(expectUserInfo(await userinfo(t, login.tokens.access_token as string))).toEqual({ sub: 'user-dave', department: 'R&D' });
  });

  it('refresh keeps the scope claims in the new ID token', async () => {
    const login = await oidcLogin(t, STAFF_RP, { extra: { scope: 'openid email' } });
    const refreshed = await refreshTokens(t, STAFF_RP, login.tokens.refresh_token as string);
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(await verifyWithJwks(t, refreshed.body.id_token as string)).toMatchObject(aliceAnswer('user-alice', 'email'));
  });
});
