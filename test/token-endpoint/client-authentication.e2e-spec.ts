import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postForm, request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';
import { inspectDatabase, type DbInspector } from './db-inspector.js';
import {
  CLIENT_CREDENTIALS,
  expectBasicChallenge,
  expectOAuthError,
  expectTokenResponse,
  refusedWithoutSideEffects,
  tokenRequest,
} from './helpers.js';

/**
 * Client authentication at the token endpoint (RFC 6749 section 2.3; Authlib behaviours 21-32 with our
 * deviations; security checklist 34, 35, 37). Tokens are opaque so that a request that slipped through
 * would leave a row behind.
 */
describe.each(testMatrix())('token endpoint client authentication on %s/%s', (platform, db) => {
  const C = { id: 'confidential', secret: 'confidential-secret-1' };
  const P = { id: 'poster', secret: 'poster-secret-00002' };
  const BOTH = { id: 'either', secret: 'either-secret-00003' };
  let t: TestApp;
  let store: DbInspector;

  const refused = (send: Parameters<typeof refusedWithoutSideEffects>[1]) => refusedWithoutSideEffects(store, send);

  beforeAll(async () => {
    t = await bootTestApp({
      platform,
      db,
      options: {
        accessToken: { format: 'opaque' },
        clients: [
          { clientId: C.id, clientSecret: C.secret },
          { clientId: P.id, clientSecret: P.secret, authMethods: ['client_secret_post'] },
          { clientId: BOTH.id, clientSecret: BOTH.secret, authMethods: ['client_secret_basic', 'client_secret_post'] },
        ],
      },
    });
    store = await inspectDatabase(t.database);
  });
  afterAll(async () => {
    await store?.close();
    await t?.close();
  });

  describe('accepted', () => {
    it('client_secret_basic', async () => {
      expectTokenResponse(await tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(C.id, C.secret) }));
    });

    it('client_secret_post', async () => {
      expectTokenResponse(await tokenRequest(t, { ...CLIENT_CREDENTIALS, client_id: P.id, client_secret: P.secret }));
    });

    it('either method for a client registered for both', async () => {
      expectTokenResponse(await tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(BOTH.id, BOTH.secret) }));
      expectTokenResponse(await tokenRequest(t, { ...CLIENT_CREDENTIALS, client_id: BOTH.id, client_secret: BOTH.secret }));
    });

    it('Basic with a body client_id equal to the Basic user', async () => {
      expectTokenResponse(await tokenRequest(t, { ...CLIENT_CREDENTIALS, client_id: C.id }, { authorization: basic(C.id, C.secret) }));
    });

    it('post credentials beside an Authorization header of another scheme, which is ignored (28)', async () => {
      const res = await tokenRequest(t, { ...CLIENT_CREDENTIALS, client_id: P.id, client_secret: P.secret }, { authorization: 'Bearer abc' });
      expectTokenResponse(res);
    });
  });

  describe('invalid_client (401)', () => {
    it('no credentials at all: Basic challenge (21, 75)', async () => {
      expectBasicChallenge(await refused(() => tokenRequest(t, CLIENT_CREDENTIALS)), t.issuer);
    });

    it('an Authorization header of another scheme counts as no credentials (28)', async () => {
      expectBasicChallenge(await refused(() => tokenRequest(t, CLIENT_CREDENTIALS, { authorization: 'Bearer abc' })), t.issuer);
    });

    it('Basic with an unknown client and Basic with a wrong secret are indistinguishable (22, 23, 34)', async () => {
      const unknown = await refused(() => tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic('nobody', C.secret) }));
      const wrong = await refused(() => tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(C.id, 'wrong-secret-123') }));
      expectBasicChallenge(unknown, t.issuer);
      expectBasicChallenge(wrong, t.issuer);
      expect(unknown.text).toBe(wrong.text);
      expect(unknown.headers.get('www-authenticate')).toBe(wrong.headers.get('www-authenticate'));
    });

    it('post with an unknown client and post with a wrong secret are indistinguishable (24 ours: 401, 25, 34)', async () => {
      const unknown = await refused(() => tokenRequest(t, { ...CLIENT_CREDENTIALS, client_id: 'nobody', client_secret: P.secret }));
      const wrong = await refused(() => tokenRequest(t, { ...CLIENT_CREDENTIALS, client_id: P.id, client_secret: 'wrong-secret-123' }));
      expectOAuthError(unknown, 401, 'invalid_client');
      expectOAuthError(wrong, 401, 'invalid_client');
      expect(unknown.text).toBe(wrong.text);
      expect(unknown.headers.get('www-authenticate')).toBe(wrong.headers.get('www-authenticate'));
    });

    it('a secret that differs only in case or by a trailing character', async () => {
      for (const secret of [C.secret.toUpperCase(), `${C.secret} `, C.secret.slice(0, -1)]) {
        expectBasicChallenge(await refused(() => tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(C.id, secret) })), t.issuer);
      }
    });

    it('an alg-none assertion is invalid_client', async () => {
      const res = await refused(() =>
        tokenRequest(t, {
          ...CLIENT_CREDENTIALS,
          client_id: C.id,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: 'eyJhbGciOiJub25lIn0.e30.',
        }),
      );
      expectOAuthError(res, 401, 'invalid_client');
    });

    it('credentials in the query string are ignored (37)', async () => {
      const query = new URLSearchParams({ client_id: P.id, client_secret: P.secret }).toString();
      expectBasicChallenge(await refused(() => postForm(`${t.url}/oauth/token?${query}`, CLIENT_CREDENTIALS)), t.issuer);
    });
  });

  describe('invalid_request (400): ambiguous authentication (35)', () => {
    it('Basic and client_secret in the body together (29 ours: invalid_request)', async () => {
      const res = await refused(() => tokenRequest(t, { ...CLIENT_CREDENTIALS, client_secret: BOTH.secret }, { authorization: basic(BOTH.id, BOTH.secret) }));
      expectOAuthError(res, 400, 'invalid_request');
    });

    it('Basic and post credentials of another client together', async () => {
      const res = await refused(() =>
        tokenRequest(t, { ...CLIENT_CREDENTIALS, client_id: P.id, client_secret: P.secret }, { authorization: basic(C.id, C.secret) }),
      );
      expectOAuthError(res, 400, 'invalid_request');
    });

    it('Basic and a client_assertion together', async () => {
      const res = await refused(() =>
        tokenRequest(t, { ...CLIENT_CREDENTIALS, client_assertion: 'eyJhbGciOiJub25lIn0.e30.' }, { authorization: basic(C.id, C.secret) }),
      );
      expectOAuthError(res, 400, 'invalid_request');
    });

    it('a body client_id that differs from the Basic user', async () => {
      const res = await refused(() => tokenRequest(t, { ...CLIENT_CREDENTIALS, client_id: P.id }, { authorization: basic(C.id, C.secret) }));
      expectOAuthError(res, 400, 'invalid_request');
    });
  });

  describe('grant_type and method', () => {
    it('answers 400 unsupported_grant_type without grant_type (31)', async () => {
      const res = await refused(() => tokenRequest(t, {}, { authorization: basic(C.id, C.secret) }));
      expectOAuthError(res, 400, 'unsupported_grant_type');
    });

    it.each(['password', 'implicit', 'AUTHORIZATION_CODE', 'urn:ietf:params:oauth:grant-type:saml2-bearer', 'CLIENT_CREDENTIALS'])(
      'answers 400 unsupported_grant_type to grant_type=%s (31)',
      async (grantType) => {
        const res = await refused(() => tokenRequest(t, { grant_type: grantType }, { authorization: basic(C.id, C.secret) }));
        expectOAuthError(res, 400, 'unsupported_grant_type');
      },
    );

    it('ignores grant_type in the query string', async () => {
      const res = await refused(() => postForm(`${t.url}/oauth/token?grant_type=client_credentials`, {}, { authorization: basic(C.id, C.secret) }));
      expectOAuthError(res, 400, 'unsupported_grant_type');
    });

    it('answers 400 invalid_request when grant_type is repeated, even with one value (32 ours)', async () => {
      const res = await refused(() =>
        tokenRequest(t, 'grant_type=client_credentials&grant_type=client_credentials', { authorization: basic(C.id, C.secret) }),
      );
      expectOAuthError(res, 400, 'invalid_request');
    });

    it('answers GET with 405, Allow: POST and an RFC error body, credentials or not (30 ours, 37)', async () => {
      const query = new URLSearchParams({ ...CLIENT_CREDENTIALS, client_id: P.id, client_secret: P.secret }).toString();
      for (const headers of [{}, { authorization: basic(C.id, C.secret) }] as Record<string, string>[]) {
        const res = await refused(() => request(`${t.url}/oauth/token?${query}`, { headers }));
        expectOAuthError(res, 405, 'invalid_request');
        expect(res.headers.get('allow')).toBe('POST');
      }
    });
  });
});
