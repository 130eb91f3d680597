import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCode, redirectOf, SPA, WEB, type GrantApp, type TestClient } from '../grants/grant-helpers.js';
import { sha256, tableRows } from '../support/authorization-flow.js';
import type { TestResponse } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootDpopApp, expectTokenError, newKey, TOKEN_HTU, tokenPost } from './support/dpop-app.js';
import type { DpopKey } from './support/dpop-key.js';

/**
 * Refresh tokens and DPoP (RFC 9449 section 5, security checklist 33): a public client's refresh token is bound to the
 * key of the proof it was issued with, and its successors too; refreshing it needs a proof of that key (none:
 * `invalid_dpop_proof`; another key: `invalid_grant`; neither revokes anything). A confidential client's refresh token
 * is not bound, but each refreshed access token is bound to the proof sent with the refresh, if any.
 */
describe.each(testMatrix())('DPoP-bound refresh tokens on %s/%s', (platform, db) => {
  let app: GrantApp;
  let key: DpopKey;
  let other: DpopKey;

  beforeAll(async () => {
    app = await bootDpopApp(platform, db);
    [key, other] = await Promise.all([newKey(app), newKey(app)]);
  });
  afterAll(() => app?.t.close());

  async function codeTokens(client: TestClient, proof?: string): Promise<TestResponse> {
    const issued = await issueCode(app.t, client);
    const res = await tokenPost(app, client, { grant_type: 'authorization_code', code: issued.code, redirect_uri: redirectOf(client), code_verifier: issued.verifier }, proof);
    expect(res.status, res.text).toBe(200);
    return res;
  }

  const refresh = (client: TestClient, refreshToken: string, proof?: string) => tokenPost(app, client, { grant_type: 'refresh_token', refresh_token: refreshToken }, proof);
  const proof = (signer: DpopKey = key) => signer.proof('POST', TOKEN_HTU);

  async function refreshRow(token: string): Promise<Record<string, unknown> | undefined> {
    return (await tableRows(app.t.app, 'RefreshTokenEntity')).find((row) => row.token_hash === sha256(token));
  }

  it('binds a public client\'s refresh token, refuses it without a proof or with another key, and keeps the binding', async () => {
    const first = await codeTokens(SPA, await proof());
    const refreshToken = first.body.refresh_token as string;
    expect((await refreshRow(refreshToken))?.jkt).toBe(key.jkt);

    expectTokenError(await refresh(SPA, refreshToken), 'invalid_dpop_proof');
    expectTokenError(await refresh(SPA, refreshToken, await proof(other)), 'invalid_grant');
    expect((await refreshRow(refreshToken))).toMatchObject({ rotated_at: null, revoked_at: null });

    const next = await refresh(SPA, refreshToken, await proof());
    expect(next.status, next.text).toBe(200);
    expect(next.body.token_type).toBe('DPoP');
    expect(decodeJwt(next.body.access_token as string).cnf).toEqual({ jkt: key.jkt });
    expect((await refreshRow(next.body.refresh_token as string))?.jkt).toBe(key.jkt);
    expectTokenError(await refresh(SPA, next.body.refresh_token as string), 'invalid_dpop_proof');
  });

  it('leaves a public client\'s refresh token unbound when it was issued without a proof', async () => {
    const first = await codeTokens(SPA);
    expect(first.body.token_type).toBe('Bearer');
    expect((await refreshRow(first.body.refresh_token as string))?.jkt).toBeNull();
    const next = await refresh(SPA, first.body.refresh_token as string, await proof());
    expect([next.status, next.body.token_type]).toEqual([200, 'DPoP']);
  });

  it('does not bind a confidential client\'s refresh token, but binds each access token to the refresh\'s proof', async () => {
    const first = await codeTokens(WEB, await proof());
    expect(first.body.token_type).toBe('DPoP');
    expect((await refreshRow(first.body.refresh_token as string))?.jkt).toBeNull();
    const bearer = await refresh(WEB, first.body.refresh_token as string);
    expect([bearer.status, bearer.body.token_type]).toEqual([200, 'Bearer']);
    const bound = await refresh(WEB, bearer.body.refresh_token as string, await proof(other));
    expect([bound.status, bound.body.token_type]).toEqual([200, 'DPoP']);
    expect(decodeJwt(bound.body.access_token as string).cnf).toEqual({ jkt: other.jkt });
  });
});
