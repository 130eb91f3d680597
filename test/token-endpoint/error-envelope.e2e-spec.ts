import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';
import { inspectDatabase, type DbInspector } from './db-inspector.js';
import { CLIENT_CREDENTIALS, expectErrorEnvelope, expectNoStore, expectOAuthError, expectTokenResponse, tokenRequest } from './helpers.js';

const C = { id: 'enveloped', secret: 'enveloped-secret-01' };
const AUTH = { authorization: basic(C.id, C.secret) };

/**
 * Error envelopes of the token endpoint (security checklist 71, Authlib section 0): RFC 6749 section 5.2
 * JSON with no-store, fixed descriptions that never echo input, and a bare server_error when the database
 * fails, without stack, SQL or table names.
 */
describe.each(testMatrix())('token endpoint error envelopes on %s/%s', (platform, db) => {
  let t: TestApp;
  let store: DbInspector;

  beforeAll(async () => {
    t = await bootTestApp({
      platform,
      db,
      options: { scopes: ['a'], accessToken: { format: 'opaque' }, clients: [{ clientId: C.id, clientSecret: C.secret, scopes: ['a'] }] },
    });
    store = await inspectDatabase(t.database);
  });
  afterAll(async () => {
    await store?.close();
    await t?.close();
  });

  it('sends Cache-Control: no-store and Pragma: no-cache with a token, as with every error (RFC 6749 section 5.1)', async () => {
    const ok = await tokenRequest(t, CLIENT_CREDENTIALS, AUTH);
    expectTokenResponse(ok);
    expectNoStore(ok);
  });

  it.each([
    ['invalid_request', 400, () => tokenRequest(t, `grant_type=client_credentials&grant_type=x`, AUTH)],
    ['invalid_client', 401, () => tokenRequest(t, CLIENT_CREDENTIALS)],
    ['unsupported_grant_type', 400, () => tokenRequest(t, { grant_type: 'password' }, AUTH)],
    ['invalid_scope', 400, () => tokenRequest(t, { ...CLIENT_CREDENTIALS, scope: 'nope' }, AUTH)],
  ] as const)('answers %s as %i JSON {error, error_description} with no-store', async (error, status, send) => {
    const res = await send();
    expectOAuthError(res, status, error);
    expect(Object.keys(res.body).sort()).toEqual(['error', 'error_description']);
    expect(String(res.body.error_description).length).toBeGreaterThan(0);
  });

  it.each([
    ['grant_type', { grant_type: '<script>alert(1)</script>' }],
    ['scope', { ...CLIENT_CREDENTIALS, scope: '${7*7} {{7*7}} "quoted"' }],
    ['client_id', { ...CLIENT_CREDENTIALS, client_id: '<img src=x onerror=alert(1)>', client_secret: 'x' }],
    ['a parameter name', `grant_type=client_credentials&%3Cb%3Ename%3C%2Fb%3E=1&%3Cb%3Ename%3C%2Fb%3E=2`],
  ] as const)('never echoes input from %s in the error', async (_where, form) => {
    const res = await tokenRequest(t, form, typeof form === 'string' || 'client_id' in form ? {} : AUTH);
    expectErrorEnvelope(res);
    expect(res.text).not.toMatch(/<script|<img|<b>|\$\{7\*7\}|\{\{7\*7\}\}|49|quoted/);
  });

  it('answers a bare server_error when the token table is gone, leaking no SQL, and recovers once it is back', async () => {
    await store.rename('authnest_access_tokens', 'authnest_access_tokens_away');
    try {
      const res = await tokenRequest(t, CLIENT_CREDENTIALS, AUTH);
      expectOAuthError(res, 500, 'server_error');
      expect(res.body).toEqual({ error: 'server_error', error_description: 'The server could not complete the request' });
    } finally {
      await store.rename('authnest_access_tokens_away', 'authnest_access_tokens');
    }
    expectTokenResponse(await tokenRequest(t, CLIENT_CREDENTIALS, AUTH));
  });

  it('answers a bare server_error when the client table is gone, never a misleading invalid_client', async () => {
    await store.rename('authnest_clients', 'authnest_clients_away');
    try {
      const res = await tokenRequest(t, CLIENT_CREDENTIALS, AUTH);
      expectOAuthError(res, 500, 'server_error');
      expect(res.headers.get('www-authenticate')).toBeNull();
    } finally {
      await store.rename('authnest_clients_away', 'authnest_clients');
    }
    expectTokenResponse(await tokenRequest(t, CLIENT_CREDENTIALS, AUTH));
  });
});
