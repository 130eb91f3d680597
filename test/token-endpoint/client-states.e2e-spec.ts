import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientService } from '../../src/index.js';
import { basic } from '../support/http.js';
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
 * What a client's registration allows (security checklist 38; Authlib 26, 27, 76): disabled clients,
 * the registered authentication method, public clients, and the registered grant types.
 */
describe.each(testMatrix())('client registration enforced at the token endpoint on %s/%s', (platform, db) => {
  const DISABLED = { id: 'to-disable', secret: 'to-disable-secret-1' };
  const POST_ONLY = { id: 'post-only', secret: 'post-only-secret-02' };
  const BASIC_ONLY = { id: 'basic-only', secret: 'basic-only-secret-3' };
  const NO_GRANT = { id: 'no-grant', secret: 'no-grant-secret-004' };
  const PUBLIC = 'public-app';
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
          { clientId: DISABLED.id, clientSecret: DISABLED.secret, authMethods: ['client_secret_basic', 'client_secret_post'] },
          { clientId: POST_ONLY.id, clientSecret: POST_ONLY.secret, authMethods: ['client_secret_post'] },
          { clientId: BASIC_ONLY.id, clientSecret: BASIC_ONLY.secret, authMethods: ['client_secret_basic'] },
          { clientId: NO_GRANT.id, clientSecret: NO_GRANT.secret, grantTypes: [] },
          { clientId: PUBLIC },
        ],
      },
    });
    store = await inspectDatabase(t.database);
  });
  afterAll(async () => {
    await store?.close();
    await t?.close();
  });

  describe('a disabled client', () => {
    const asDisabled = () => tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(DISABLED.id, DISABLED.secret) });

    it('gets 401 invalid_client, answered like a wrong secret, and gets tokens again once re-enabled', async () => {
      const clients = t.app.get(ClientService);
      expectTokenResponse(await asDisabled());
      await clients.setDisabled(DISABLED.id, true);
      try {
        expect((await clients.find(DISABLED.id))?.disabled).toBe(true);
        const disabled = await refused(asDisabled);
        expectBasicChallenge(disabled, t.issuer);
        const wrong = await refused(() => tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(DISABLED.id, 'wrong-secret-9999') }));
        expect(disabled.text).toBe(wrong.text);
        expect(disabled.headers.get('www-authenticate')).toBe(wrong.headers.get('www-authenticate'));
      } finally {
        await clients.setDisabled(DISABLED.id, false);
      }
      expectTokenResponse(await asDisabled());
    });

    it('is refused through client_secret_post too, even after a successful authentication was cached', async () => {
      const clients = t.app.get(ClientService);
      const viaPost = () => tokenRequest(t, { ...CLIENT_CREDENTIALS, client_id: DISABLED.id, client_secret: DISABLED.secret });
      expectTokenResponse(await viaPost());
      await clients.setDisabled(DISABLED.id, true);
      try {
        expectOAuthError(await refused(viaPost), 401, 'invalid_client');
      } finally {
        await clients.setDisabled(DISABLED.id, false);
      }
    });
  });

  describe('the registered authentication method', () => {
    it('refuses a client_secret_post client that uses Basic with its right secret: 401 with a Basic challenge', async () => {
      const res = await refused(() => tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(POST_ONLY.id, POST_ONLY.secret) }));
      expectBasicChallenge(res, t.issuer);
      expectTokenResponse(await tokenRequest(t, { ...CLIENT_CREDENTIALS, client_id: POST_ONLY.id, client_secret: POST_ONLY.secret }));
    });

    it('refuses a client_secret_basic client that uses post with its right secret: 401, answered like a wrong secret (26)', async () => {
      const right = await refused(() => tokenRequest(t, { ...CLIENT_CREDENTIALS, client_id: BASIC_ONLY.id, client_secret: BASIC_ONLY.secret }));
      const wrong = await refused(() => tokenRequest(t, { ...CLIENT_CREDENTIALS, client_id: BASIC_ONLY.id, client_secret: 'wrong-secret-9999' }));
      expectOAuthError(right, 401, 'invalid_client');
      expect(right.text).toBe(wrong.text);
      expectTokenResponse(await tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(BASIC_ONLY.id, BASIC_ONLY.secret) }));
    });

    it('refuses a confidential client that sends only its client_id (no downgrade to none)', async () => {
      expectOAuthError(await refused(() => tokenRequest(t, { ...CLIENT_CREDENTIALS, client_id: BASIC_ONLY.id })), 401, 'invalid_client');
    });
  });

  describe('a public client (no secret, method none)', () => {
    /**
     * RFC 6749 section 4.4: client_credentials is for confidential clients only. The public client is
     * identified (method none, section 2.3: 27), then refused the grant: 400 unauthorized_client, "the
     * authenticated client is not authorized to use this authorization grant type" (section 5.2).
     */
    it('identified by client_id alone gets 400 unauthorized_client for client_credentials', async () => {
      expectOAuthError(await refused(() => tokenRequest(t, { ...CLIENT_CREDENTIALS, client_id: PUBLIC })), 400, 'unauthorized_client');
    });

    it('that also sends a secret gets 401 invalid_client (35)', async () => {
      const viaPost = await refused(() => tokenRequest(t, { ...CLIENT_CREDENTIALS, client_id: PUBLIC, client_secret: 'anything-at-all' }));
      expectOAuthError(viaPost, 401, 'invalid_client');
      expectBasicChallenge(await refused(() => tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(PUBLIC, 'anything-at-all') })), t.issuer);
    });

    it('differs from an unknown client_id sent alone, which gets 401 invalid_client', async () => {
      expectOAuthError(await refused(() => tokenRequest(t, { ...CLIENT_CREDENTIALS, client_id: 'no-such-app' })), 401, 'invalid_client');
    });
  });

  describe('the registered grant types', () => {
    it('refuses an authenticated client not registered for client_credentials: 400 unauthorized_client (76)', async () => {
      const res = await refused(() => tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(NO_GRANT.id, NO_GRANT.secret) }));
      expectOAuthError(res, 400, 'unauthorized_client');
    });

    it('authenticates first: the same client with a wrong secret gets 401 invalid_client', async () => {
      const res = await refused(() => tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(NO_GRANT.id, 'wrong-secret-9999') }));
      expectBasicChallenge(res, t.issuer);
    });
  });
});
