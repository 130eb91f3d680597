import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthDatabaseOptions, ClientSeed } from '../../src/index.js';
import { CLIENT_SEEDS, expectInactive, expectTokens, issueCode, redeem, refresh, revoke, WEB, type IssuedCode } from '../grants/grant-helpers.js';
import { publishedKids } from '../support/app-helpers.js';
import { pkce } from '../support/authorization-flow.js';
import { basic, postForm } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { InMemoryAccountService, TestAccountsModule } from '../support/test-accounts.js';
import { bootTestApp, freshDatabase, type TestApp } from '../support/test-app.js';
import { ApiController, callApi, expectOAuthError } from '../token-endpoint/helpers.js';
import { assertionClaims, assertionTokenRequest, signWithSecret } from '../rfc7523/support/assertions.js';

const HS: ClientSeed = { clientId: 'restart-hs', clientSecret: 'restart-hs-secret-0123456789abcdef', authMethods: ['client_secret_jwt'], scopes: ['a'] };
const OPAQUE: ClientSeed = { clientId: 'restart-opaque', clientSecret: 'restart-opaque-secret-01', scopes: ['a'], accessTokenFormat: 'opaque' };
/** Few clients: each secret costs a scrypt hash at every boot. */
const SEEDS = [...CLIENT_SEEDS.filter((seed) => [WEB.id, 'spa', 'rs-introspector'].includes(seed.clientId)), HS, OPAQUE];

/** What the first instance left behind: every value must stay dead after the restart. */
interface Leftovers {
  kids: string[];
  consumedCode: IssuedCode;
  rotatedRefresh: string;
  revokedRefresh: string;
  revokedAccess: string;
  usedAssertion: string;
  usedRequestUri: string;
  liveRefresh: string;
}

/**
 * Restart (fault invariant FL6; CVE-2026-9802 class): everything one-time or revoked lives in the database, so an
 * instance started on the same database after the first one stopped refuses all of it: a consumed code, a rotated and
 * a revoked refresh token, a revoked access token, a used client assertion and a used pushed request URI. The signing
 * keys are the same, and what was live stays live.
 */
describe.each(testMatrix())('state across a restart on %s/%s', (platform, db) => {
  let database: AuthDatabaseOptions;
  let drop: () => Promise<void>;
  let second: TestApp;
  const left = {} as Leftovers;

  async function boot(): Promise<TestApp> {
    const t = await bootTestApp({
      platform,
      db,
      database,
      imports: [TestAccountsModule],
      controllers: [ApiController],
      options: { scopes: ['a', 'b', 'c'], clients: SEEDS, refreshToken: { reuseGrace: 0 } },
    });
    t.app.get(InMemoryAccountService).add('alice');
    return t;
  }

  beforeAll(async () => {
    ({ database, drop } = freshDatabase(db));
    const first = await boot();
    left.kids = await publishedKids(first.url);
    left.consumedCode = await issueCode(first, WEB);
    const tokens = expectTokens(await redeem(first, WEB, left.consumedCode), { refreshToken: true });
    left.rotatedRefresh = tokens.refresh_token!;
    left.liveRefresh = expectTokens(await refresh(first, WEB, left.rotatedRefresh), { refreshToken: true }).refresh_token!;
    const other = expectTokens(await redeem(first, WEB, await issueCode(first, WEB)), { refreshToken: true });
    left.revokedRefresh = other.refresh_token!;
    expect((await revoke(first, WEB, left.revokedRefresh)).status).toBe(200);
    const opaque = await postForm(`${first.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(OPAQUE.clientId, OPAQUE.clientSecret!) });
    left.revokedAccess = String(opaque.body.access_token);
    expect((await postForm(`${first.url}/oauth/revoke`, { token: left.revokedAccess }, { authorization: basic(OPAQUE.clientId, OPAQUE.clientSecret!) })).status).toBe(200);
    left.usedAssertion = await signWithSecret(HS.clientSecret!, assertionClaims(HS.clientId, Date.now(), { exp: Math.floor(Date.now() / 1000) + 120 }));
    expect((await assertionTokenRequest(first, left.usedAssertion)).status).toBe(200);
    const pushed = await postForm(`${first.url}/oauth/par`, {
      client_id: 'spa', response_type: 'code', redirect_uri: 'https://spa.test/cb', scope: 'a', code_challenge: pkce().challenge, code_challenge_method: 'S256',
    });
    left.usedRequestUri = String(pushed.body.request_uri);
    expect((await fetch(`${first.url}/oauth/authorize?client_id=spa&request_uri=${encodeURIComponent(left.usedRequestUri)}`, { redirect: 'manual' })).status).toBe(303);
    await first.close();
    second = await boot();
  });
  afterAll(async () => {
    await second?.close();
    await drop?.();
  });

  it('keeps the signing keys, and what was live stays live (FL6)', async () => {
    expect(await publishedKids(second.url)).toEqual(left.kids);
    left.liveRefresh = expectTokens(await refresh(second, WEB, left.liveRefresh), { refreshToken: true }).refresh_token!;
  });

  it('refuses a consumed code, a rotated and a revoked refresh token, and a revoked access token (FL6, checklist 18, 28, 60)', async () => {
    expectOAuthError(await redeem(second, WEB, left.consumedCode), 400, 'invalid_grant');
    expectOAuthError(await refresh(second, WEB, left.revokedRefresh), 400, 'invalid_grant');
    await expectInactive(second, left.revokedAccess);
    expect((await callApi(second, '/api/any', left.revokedAccess)).status).toBe(401);
    // The rotated token comes back after the restart: refused, and (no grace window) its family is revoked.
    expectOAuthError(await refresh(second, WEB, left.rotatedRefresh), 400, 'invalid_grant');
    await expectInactive(second, left.liveRefresh);
  });

  it('refuses a client assertion and a pushed request URI used before the restart (FL6, checklist 40, 92)', async () => {
    expectOAuthError(await assertionTokenRequest(second, left.usedAssertion), 401, 'invalid_client');
    const res = await fetch(`${second.url}/oauth/authorize?client_id=spa&request_uri=${encodeURIComponent(left.usedRequestUri)}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });
});
