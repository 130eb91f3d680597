import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCode, MACHINE, SPA, type GrantApp } from '../grants/grant-helpers.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock } from '../support/test-app.js';
import { bootDpopApp } from './support/dpop-app.js';

/** oauth4webapi signs proofs with the real time: the server's clock follows it here. */
class WallClock extends FakeClock {
  override now(): number {
    return Date.now();
  }
}

/**
 * Interop with oauth4webapi's DPoP support (RFC 9449), a strict client nobody here wrote: discovery of
 * `dpop_signing_alg_values_supported`, client_credentials and the code and refresh grants with proofs and the
 * `use_dpop_nonce` retry, then a guarded route with the DPoP scheme, its own nonce retry included.
 */
describe.each(testMatrix())('DPoP interop with oauth4webapi on %s/%s', (platform, db) => {
  let app: GrantApp;
  let as: oauth.AuthorizationServer;
  let options: { [oauth.allowInsecureRequests]: true; [oauth.customFetch]: typeof fetch };

  beforeAll(async () => {
    app = await bootDpopApp(platform, db, { requireNonce: true }, {}, { clock: new WallClock() });
    const issuer = new URL(app.t.issuer);
    const appHost = new URL(app.t.url).host;
    // The issuer's origin (http://127.0.0.1) routed to the app, as a reverse proxy at the public address would.
    options = {
      [oauth.allowInsecureRequests]: true,
      [oauth.customFetch]: (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        if (url.origin === issuer.origin) url.host = appHost;
        return fetch(url, init);
      },
    };
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...options, algorithm: 'oauth2' }));
  });
  afterAll(() => app?.t.close());

  /** Runs `attempt`, once more when the server asked for a nonce (oauth4webapi's DPoP handle then has it). */
  async function withNonceRetry<T>(attempt: () => Promise<T>): Promise<{ result: T; retried: boolean }> {
    try {
      return { result: await attempt(), retried: false };
    } catch (error) {
      if (!oauth.isDPoPNonceError(error)) throw error;
      return { result: await attempt(), retried: true };
    }
  }

  it('discovers the proof algorithms', () => {
    expect(as.dpop_signing_alg_values_supported).toContain('ES256');
  });

  it('gets a DPoP-bound token with client_credentials (nonce retry) and calls a guarded route with it', async () => {
    const client: oauth.Client = { client_id: MACHINE.id };
    const dpop = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    const { result: tokens, retried } = await withNonceRetry(async () => {
      const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(MACHINE.secret!), { scope: 'a' }, { ...options, DPoP: dpop });
      return oauth.processClientCredentialsResponse(as, client, response);
    });
    expect(retried).toBe(true);
    expect(tokens.token_type).toBe('dpop');

    const resource = new URL(`${app.t.issuer}/api/a`);
    const { result: response } = await withNonceRetry(async () => {
      const res = await oauth.protectedResourceRequest(tokens.access_token, 'GET', resource, undefined, undefined, { ...options, DPoP: dpop });
      if (res.status === 401) await res.body?.cancel();
      return res;
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: 'a', clientId: MACHINE.id });
  });

  it('redeems a code bound with dpop_jkt and refreshes the public client\'s bound refresh token', async () => {
    const client: oauth.Client = { client_id: SPA.id };
    const dpop = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    const issued = await issueCode(app.t, SPA, { dpopJkt: await dpop.calculateThumbprint() });
    const callback = new URL(`https://spa.test/cb?code=${encodeURIComponent(issued.code)}&iss=${encodeURIComponent(app.t.issuer)}`);
    const params = oauth.validateAuthResponse(as, client, callback, oauth.skipStateCheck);
    const { result: tokens } = await withNonceRetry(async () => {
      const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, 'https://spa.test/cb', issued.verifier, { ...options, DPoP: dpop });
      return oauth.processAuthorizationCodeResponse(as, client, response);
    });
    expect(tokens.token_type).toBe('dpop');
    const { result: refreshed } = await withNonceRetry(async () => {
      const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token!, { ...options, DPoP: dpop });
      return oauth.processRefreshTokenResponse(as, client, response);
    });
    expect(refreshed.token_type).toBe('dpop');

    const stranger = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    const error = await withNonceRetry(async () => {
      const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshed.refresh_token!, { ...options, DPoP: stranger });
      return oauth.processRefreshTokenResponse(as, client, response);
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(oauth.ResponseBodyError);
    expect((error as oauth.ResponseBodyError).error).toBe('invalid_grant');
  });
});
