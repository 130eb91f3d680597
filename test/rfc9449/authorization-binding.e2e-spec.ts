import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, clientRedirect, pkce, sha256, tableRows, type TestBrowser } from '../support/authorization-flow.js';
import { bootFlowApp, codeRequest, FIRST, signedInBrowser } from '../support/flow-app.js';
import { postForm, type TestResponse } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import { expectTokenError, TOKEN_HTU } from './support/dpop-app.js';
import { DpopKey } from './support/dpop-key.js';

const REDIRECT = FIRST.redirectUris![0]!;

/**
 * Authorization code binding (RFC 9449 section 10): `dpop_jkt` at the authorization endpoint is checked (a base64url
 * SHA-256 thumbprint) and stored with the code; the code is then redeemed only with a proof of that key (`invalid_grant`
 * otherwise, and the failed attempt leaves the code usable by its owner).
 */
describe.each(testMatrix())('dpop_jkt code binding on %s/%s', (platform, db) => {
  const clock = new FakeClock();
  let t: TestApp;
  let alice: TestBrowser;
  let key: DpopKey;
  let other: DpopKey;

  beforeAll(async () => {
    t = await bootFlowApp(platform, db, { clock, options: { dpop: {} } });
    alice = await signedInBrowser(t);
    [key, other] = await Promise.all([DpopKey.generate('ES256', () => clock.now()), DpopKey.generate('ES256', () => clock.now())]);
  });
  afterAll(() => t?.close());

  async function authorize(extra: Record<string, string>): Promise<{ params: URLSearchParams; verifier: string }> {
    const { verifier, challenge } = pkce();
    const params = clientRedirect(await alice.get(authorizePath(codeRequest(FIRST, challenge, extra))), REDIRECT);
    return { params, verifier };
  }

  function redeem(code: string, verifier: string, proof?: string): Promise<TestResponse> {
    const form = { grant_type: 'authorization_code', client_id: FIRST.clientId, code, redirect_uri: REDIRECT, code_verifier: verifier };
    return postForm(`${t.url}/oauth/token`, form, proof === undefined ? {} : { dpop: proof });
  }

  it('binds the code to dpop_jkt: no proof or another key is invalid_grant, the right key gets a bound token', async () => {
    const { params, verifier } = await authorize({ dpop_jkt: key.jkt });
    const code = params.get('code')!;
    const rows = await tableRows(t.app, 'AuthorizationCodeEntity');
    expect(rows.find((row) => row.code_hash === sha256(code))?.dpop_jkt).toBe(key.jkt);
    expectTokenError(await redeem(code, verifier), 'invalid_grant');
    expectTokenError(await redeem(code, verifier, await other.proof('POST', TOKEN_HTU)), 'invalid_grant');
    const res = await redeem(code, verifier, await key.proof('POST', TOKEN_HTU));
    expect(res.status, res.text).toBe(200);
    expect(res.body.token_type).toBe('DPoP');
    expect(decodeJwt(res.body.access_token as string).cnf).toEqual({ jkt: key.jkt });
  });

  it('binds tokens of a code requested without dpop_jkt to whatever key the token request proves', async () => {
    const { params, verifier } = await authorize({});
    const res = await redeem(params.get('code')!, verifier, await other.proof('POST', TOKEN_HTU));
    expect(res.status, res.text).toBe(200);
    expect(decodeJwt(res.body.access_token as string).cnf).toEqual({ jkt: other.jkt });
  });

  it.each(['short', `${'A'.repeat(42)}B`, `${'A'.repeat(43)}=`, `${'A'.repeat(42)}+Q`])('answers a malformed dpop_jkt (%s) with invalid_request to the client', async (value) => {
    const { params } = await authorize({ dpop_jkt: value });
    expect(params.get('error')).toBe('invalid_request');
    expect(params.get('state')).toBe('st-123');
    expect(params.get('code')).toBeNull();
  });
});
