import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';
import { inspectDatabase, type DbInspector } from './db-inspector.js';
import {
  ApiController,
  callApi,
  CLIENT_CREDENTIALS,
  expectOAuthError,
  expectTokenResponse,
  refusedWithoutSideEffects,
  tokenRequest,
} from './helpers.js';

/**
 * The client credentials grant (RFC 6749 section 4.4; Authlib behaviours 75-79): the success response,
 * and scope policy (RFC 6749 section 3.3): filtered to what the client may have, unknown -> invalid_scope,
 * omitted -> the client's default scopes.
 */
describe.each(testMatrix())('client_credentials grant on %s/%s', (platform, db) => {
  const SERVICE = { id: 'service', secret: 'service-secret-0001' };
  const BARE = { id: 'bare', secret: 'bare-secret-000002' };
  let t: TestApp;
  let store: DbInspector;

  const asService = (form: Record<string, string> | string) => tokenRequest(t, form, { authorization: basic(SERVICE.id, SERVICE.secret) });

  beforeAll(async () => {
    t = await bootTestApp({
      platform,
      db,
      controllers: [ApiController],
      options: {
        scopes: ['a', 'b', 'c'],
        accessToken: { format: 'opaque' },
        clients: [
          { clientId: SERVICE.id, clientSecret: SERVICE.secret, scopes: ['a', 'b'], defaultScopes: ['a'] },
          { clientId: BARE.id, clientSecret: BARE.secret, scopes: ['a'] },
        ],
      },
    });
    store = await inspectDatabase(t.database);
  });
  afterAll(async () => {
    await store?.close();
    await t?.close();
  });

  it('answers 200 with a Bearer token, expires_in, the granted scope and no refresh token (4.4.3)', async () => {
    const res = await asService({ ...CLIENT_CREDENTIALS, scope: 'a b' });
    const body = expectTokenResponse(res);
    expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
    expect(body.expires_in).toBe(3600);
    expect(body.scope).toBe('a b');
  });

  it('stores one opaque token per request, each a different value', async () => {
    const before = await store.count('authnest_access_tokens');
    const first = expectTokenResponse(await asService(CLIENT_CREDENTIALS));
    const second = expectTokenResponse(await asService(CLIENT_CREDENTIALS));
    expect(first.access_token).not.toBe(second.access_token);
    expect(await store.count('authnest_access_tokens')).toBe(before + 2);
  });

  it('issues a token the guarded routes accept for its scopes only', async () => {
    const { access_token } = expectTokenResponse(await asService({ ...CLIENT_CREDENTIALS, scope: 'a' }));
    const any = await callApi(t, '/api/any', access_token);
    expect(any.status, any.text).toBe(200);
    expect(any.body).toMatchObject({ sub: SERVICE.id, clientId: SERVICE.id, scopes: ['a'] });
    expect((await callApi(t, '/api/a', access_token)).status).toBe(200);
    const b = await callApi(t, '/api/b', access_token);
    expect(b.status).toBe(403);
    expect(b.body.error).toBe('insufficient_scope');
  });

  it('drops known scopes the client may not have and says so in scope (3.3)', async () => {
    const body = expectTokenResponse(await asService({ ...CLIENT_CREDENTIALS, scope: 'a c' }));
    expect(body.scope).toBe('a');
  });

  it('collapses repeated scope tokens and keeps the requested order', async () => {
    const body = expectTokenResponse(await asService({ ...CLIENT_CREDENTIALS, scope: 'b  a b' }));
    expect(body.scope).toBe('b a');
  });

  it('grants the default scopes when scope is omitted, or sent empty (empty = omitted)', async () => {
    expect(expectTokenResponse(await asService(CLIENT_CREDENTIALS)).scope).toBe('a');
    expect(expectTokenResponse(await asService({ ...CLIENT_CREDENTIALS, scope: '' })).scope).toBe('a');
  });

  it('omits scope from the response when the client has no default scopes and asked for none', async () => {
    const res = await tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(BARE.id, BARE.secret) });
    const body = expectTokenResponse(res);
    expect(res.body).not.toHaveProperty('scope');
    const any = await callApi(t, '/api/any', body.access_token);
    expect(any.body.scopes).toEqual([]);
    expect((await callApi(t, '/api/a', body.access_token)).status).toBe(403);
  });

  it.each([
    ['an unknown scope', 'zzz'],
    ['an unknown scope beside a known one', 'a zzz'],
    ['a scope in the wrong case (scopes are case-sensitive)', 'A'],
    ['only scopes the client may not have', 'c'],
    ['a scope with a double quote', 'a "b'],
    ['a scope with a backslash', 'a\\b'],
    ['a scope with a line break', 'a\r\nb'],
    ['a scope with a non-ASCII character', 'a \u00e9'],
  ])('answers 400 invalid_scope to %s, and stores nothing', async (_name, scope) => {
    const res = await refusedWithoutSideEffects(store, () => asService({ ...CLIENT_CREDENTIALS, scope }));
    expectOAuthError(res, 400, 'invalid_scope');
  });

  it('answers 400 invalid_scope when a client without allowed scopes asks for one', async () => {
    const res = await refusedWithoutSideEffects(store, () =>
      tokenRequest(t, { ...CLIENT_CREDENTIALS, scope: 'b' }, { authorization: basic(BARE.id, BARE.secret) }),
    );
    expectOAuthError(res, 400, 'invalid_scope');
  });

  it('authenticates before it looks at the scope (no scope oracle for strangers)', async () => {
    const res = await refusedWithoutSideEffects(store, () =>
      tokenRequest(t, { ...CLIENT_CREDENTIALS, scope: 'zzz' }, { authorization: basic(SERVICE.id, 'wrong-secret-000') }),
    );
    expectOAuthError(res, 401, 'invalid_client');
  });
});
