import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codeTokens, expectActive, expectInactive, introspect, refresh, revoke, WEB } from '../grants/grant-helpers.js';
import { testMatrix } from '../support/matrix.js';
import { inspectDatabase, type DbInspector } from '../token-endpoint/db-inspector.js';
import { expectOAuthError, refusedWithoutSideEffects } from '../token-endpoint/helpers.js';
import { ACCESS_TOKEN, bootExchangeApp, clientToken, exchange, exchangeForm, expectExchanged, GATEWAY, OPAQUE, PLAIN, type ExchangeApp } from './support.js';

/**
 * What token exchange refuses (RFC 8693 section 2.2.2): a malformed request and any subject or actor token that is
 * not an active access token of this server are `invalid_request`, as is a policy's refusal; a refused target is
 * `invalid_target`; scopes beyond the subject token's are `invalid_scope`. Every refusal is an RFC 6749 5.2 body that
 * stores nothing. Revoking the subject token's grant revokes the exchanged tokens; `may_act` binds the actor.
 */
describe.each(testMatrix())('token exchange refusals (RFC 8693 2.2.2) on %s/%s', (platform, db) => {
  let x: ExchangeApp;
  let dbi: DbInspector;

  beforeAll(async () => {
    x = await bootExchangeApp(platform, db);
    dbi = await inspectDatabase(x.t.database);
  });
  afterAll(async () => {
    await dbi?.close();
    await x?.t.close();
  });
  beforeEach(() => x.policy.reset());

  const aliceToken = async (scopes = ['a', 'b']) => (await codeTokens(x.t, WEB, { scopes })).access_token;
  const refused = async (form: Record<string, string>, status: number, error: string, client = GATEWAY) => {
    const res = await refusedWithoutSideEffects(dbi, () => exchange(x.t, client, form));
    expectOAuthError(res, status, error);
    for (const value of [form.subject_token, form.actor_token]) if (value) expect(res.text).not.toContain(value);
    return res;
  };

  it('answers invalid_request for missing, unpaired or unsupported token parameters', async () => {
    const subject = await aliceToken();
    await refused({}, 400, 'invalid_request');
    await refused({ subject_token: subject }, 400, 'invalid_request');
    await refused({ subject_token_type: ACCESS_TOKEN }, 400, 'invalid_request');
    const unsupported = await refused({ subject_token: subject, subject_token_type: 'urn:ietf:params:oauth:token-type:id_token' }, 400, 'invalid_request');
    expect(unsupported.body.error_description).toMatch(/subject_token_type is not supported/);
    await refused(exchangeForm(subject, undefined, { actor_token: subject }), 400, 'invalid_request');
    await refused(exchangeForm(subject, undefined, { actor_token_type: ACCESS_TOKEN }), 400, 'invalid_request');
    await refused(exchangeForm(subject, undefined, { actor_token: subject, actor_token_type: 'urn:ietf:params:oauth:token-type:saml2' }), 400, 'invalid_request');
    await refused(exchangeForm(subject, undefined, { requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' }), 400, 'invalid_request');
    const repeated = `${new URLSearchParams(exchangeForm(subject)).toString()}&audience=billing&audience=crm`;
    expectOAuthError(await refusedWithoutSideEffects(dbi, () => exchange(x.t, GATEWAY, repeated)), 400, 'invalid_request');
    expect(x.policy.seen).toHaveLength(0);
  });

  it('answers invalid_request for subject and actor tokens that are not active access tokens of this server', async () => {
    const subject = await aliceToken();
    const [header, payload, signature] = subject.split('.') as [string, string, string];
    const forged = `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    const opaque = await clientToken(x.t, OPAQUE, 'a');
    const cases = ['not-a-token', forged, `${header}.${payload}.`, 'x'.repeat(8192)];
    for (const token of cases) {
      const res = await refused(exchangeForm(token), 400, 'invalid_request');
      expect(res.body.error_description).toBe('The subject_token is not valid');
    }
    await refused({ subject_token: opaque, subject_token_type: 'urn:ietf:params:oauth:token-type:jwt' }, 400, 'invalid_request');
    const actorRefused = await refused(exchangeForm(subject, forged), 400, 'invalid_request');
    expect(actorRefused.body.error_description).toBe('The actor_token is not valid');
    expect(x.policy.seen).toHaveLength(0);
  });

  it('answers invalid_request for a revoked or an expired subject token', async () => {
    const revoked = await aliceToken();
    expect((await revoke(x.t, WEB, revoked)).status).toBe(200);
    await refused(exchangeForm(revoked), 400, 'invalid_request');
    const expiring = await aliceToken();
    const actor = await clientToken(x.t, GATEWAY);
    x.clock.advance(601);
    await refused(exchangeForm(expiring), 400, 'invalid_request');
    await refused(exchangeForm(await aliceToken(), actor), 400, 'invalid_request');
  });

  it('never widens the scopes: beyond the subject token or the client is invalid_scope, absent keeps what the client may have', async () => {
    await refused(exchangeForm(await aliceToken(['a']), undefined, { scope: 'a b' }), 400, 'invalid_scope');
    await refused(exchangeForm(await aliceToken(['a', 'b', 'c']), undefined, { scope: 'c' }), 400, 'invalid_scope');
    await refused(exchangeForm(await aliceToken(), undefined, { scope: 'zzz' }), 400, 'invalid_scope');
    await refused(exchangeForm(await aliceToken(), undefined, { scope: 'a\u0001' }), 400, 'invalid_scope');
    const body = expectExchanged(await exchange(x.t, GATEWAY, exchangeForm(await aliceToken(['a', 'b', 'c']))));
    expect(body.scope).toBe('a b');
    const narrowed = expectExchanged(await exchange(x.t, GATEWAY, exchangeForm(await aliceToken(['a', 'b']), undefined, { scope: 'b' })));
    expect(narrowed.scope).toBe('b');
  });

  it("follows the policy's refusals: false is invalid_request, 'invalid_target' and an unresolved audience are invalid_target", async () => {
    x.policy.decideWith = () => false;
    const denied = await refused(exchangeForm(await aliceToken()), 400, 'invalid_request');
    expect(denied.body.error_description).toBe('The token exchange is not allowed');
    x.policy.decideWith = () => 'invalid_target';
    await refused(exchangeForm(await aliceToken(), undefined, { audience: 'billing' }), 400, 'invalid_target');
    x.policy.decideWith = () => ({});
    await refused(exchangeForm(await aliceToken(), undefined, { audience: 'billing' }), 400, 'invalid_target');
    await refused(exchangeForm(await aliceToken(), undefined, { resource: 'https://unknown.example' }), 400, 'invalid_target');
    await refused(exchangeForm(await aliceToken(), undefined, { resource: 'not a uri' }), 400, 'invalid_request');
  });

  it('a malformed decision of the policy is a bare server_error that stores nothing', async () => {
    for (const decision of [{ ttl: -5 }, { ttl: 1.5 }, { scopes: 'a' }, { audience: '' }, { mayAct: { sub: 7 } }]) {
      x.policy.decideWith = () => decision as never;
      const res = await exchange(x.t, GATEWAY, exchangeForm(await aliceToken()));
      expectOAuthError(res, 500, 'server_error');
    }
  });

  it('refuses clients without the grant (unauthorized_client)', async () => {
    await refused(exchangeForm(await aliceToken()), 400, 'unauthorized_client', PLAIN);
  });

  it("revoking the subject token's grant revokes the exchanged tokens", async () => {
    const tokens = await codeTokens(x.t, WEB, { scopes: ['a'] });
    const exchanged = expectExchanged(await exchange(x.t, GATEWAY, exchangeForm(tokens.access_token)));
    const opaque = expectExchanged(await exchange(x.t, OPAQUE, exchangeForm(exchanged.access_token, await clientToken(x.t, OPAQUE))));
    await expectActive(x.t, exchanged.access_token);
    expect((await revoke(x.t, WEB, tokens.refresh_token!)).status).toBe(200);
    await expectInactive(x.t, exchanged.access_token);
    await expectInactive(x.t, opaque.access_token);
    expect((await refresh(x.t, WEB, tokens.refresh_token!)).status).toBe(400);
    // Revoking one exchanged access token leaves its subject token alone.
    const other = await codeTokens(x.t, WEB, { scopes: ['a'] });
    const single = expectExchanged(await exchange(x.t, OPAQUE, exchangeForm(other.access_token)));
    expect((await revoke(x.t, OPAQUE, single.access_token)).status).toBe(200);
    await expectInactive(x.t, single.access_token);
    expect((await introspect(x.t, other.access_token)).body.active).toBe(true);
  });

  it('honours may_act (RFC 8693 4.4): only the named party may act for the subject', async () => {
    x.policy.decideWith = () => ({ mayAct: { sub: OPAQUE.id } });
    const bound = expectExchanged(await exchange(x.t, GATEWAY, exchangeForm(await aliceToken())));
    expect((await introspect(x.t, bound.access_token)).body).toMatchObject({ may_act: { sub: OPAQUE.id } });
    x.policy.reset();
    await refused(exchangeForm(bound.access_token, await clientToken(x.t, GATEWAY)), 400, 'invalid_request');
    await refused(exchangeForm(bound.access_token), 400, 'invalid_request');
    const delegated = expectExchanged(await exchange(x.t, OPAQUE, exchangeForm(bound.access_token, await clientToken(x.t, OPAQUE))));
    expect((await introspect(x.t, delegated.access_token)).body).toMatchObject({ active: true, act: { sub: OPAQUE.id } });
  });
});
