import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeWithLogin, clientRedirect, pkce, TestBrowser } from '../support/authorization-flow.js';
import { basic, postForm, type TestResponse } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp } from '../support/oidc-app.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import { TOKEN_HTU } from '../rfc9449/support/dpop-app.js';
import { DpopKey } from '../rfc9449/support/dpop-key.js';
import { PAR_ENDPOINT, PAR_WEB, push, pushForm, pushedCount } from './support.js';

/**
 * DPoP with pushed authorization requests (RFC 9449 section 10.1): a proof sent with the push binds the code to its key
 * as `dpop_jkt` does (the two must agree), so the code is redeemed only with a proof of that key; a bad proof at the
 * PAR endpoint is `invalid_dpop_proof` and stores nothing.
 */
describe.each(testMatrix())('pushed requests with DPoP on %s/%s', (platform, db) => {
  const clock = new FakeClock();
  let t: TestApp;
  let key: DpopKey;
  let other: DpopKey;

  beforeAll(async () => {
    t = await bootOidcApp(platform, db, { clock, clients: [PAR_WEB], options: { dpop: {} } });
    [key, other] = await Promise.all([DpopKey.generate('ES256', () => clock.now()), DpopKey.generate('ES256', () => clock.now())]);
  });
  afterAll(() => t?.close());

  async function codeOf(requestUri: string): Promise<string> {
    const done = await authorizeWithLogin(new TestBrowser(t), { client_id: PAR_WEB.clientId, request_uri: requestUri });
    return clientRedirect(done, PAR_WEB.redirectUris![0]!).get('code')!;
  }

  function redeem(code: string, verifier: string, proof?: string): Promise<TestResponse> {
    const form = { grant_type: 'authorization_code', code, redirect_uri: PAR_WEB.redirectUris![0]!, code_verifier: verifier };
    const headers: Record<string, string> = { authorization: basic(PAR_WEB.clientId, PAR_WEB.clientSecret!) };
    if (proof) headers.dpop = proof;
    return postForm(`${t.url}/oauth/token`, form, headers);
  }

  it('a proof at the push binds the code: no proof or another key is invalid_grant, the pushed key gets a DPoP token', async () => {
    const { verifier, challenge } = pkce();
    const pushed = await push(t, PAR_WEB, pushForm(PAR_WEB, challenge), { dpop: await key.proof('POST', PAR_ENDPOINT) });
    expect(pushed.status, pushed.text).toBe(201);
    const code = await codeOf(pushed.body.request_uri as string);
    expect((await redeem(code, verifier)).body.error).toBe('invalid_grant');
    expect((await redeem(code, verifier, await other.proof('POST', TOKEN_HTU))).body.error).toBe('invalid_grant');
    const res = await redeem(code, verifier, await key.proof('POST', TOKEN_HTU));
    expect(res.status, res.text).toBe(200);
    expect(res.body.token_type).toBe('DPoP');
    expect(decodeJwt(res.body.access_token as string).cnf).toEqual({ jkt: key.jkt });
  });

  it('refuses, storing nothing, a dpop_jkt that is not the proof’s key, a proof for another URL and a replayed proof', async () => {
    const before = await pushedCount(t);
    const mismatch = await push(t, PAR_WEB, pushForm(PAR_WEB, pkce().challenge, { dpop_jkt: other.jkt }), { dpop: await key.proof('POST', PAR_ENDPOINT) });
    const wrongUrl = await push(t, PAR_WEB, pushForm(PAR_WEB, pkce().challenge), { dpop: await key.proof('POST', TOKEN_HTU) });
    const proof = await key.proof('POST', PAR_ENDPOINT);
    expect((await push(t, PAR_WEB, pushForm(PAR_WEB, pkce().challenge), { dpop: proof })).status).toBe(201);
    const replayed = await push(t, PAR_WEB, pushForm(PAR_WEB, pkce().challenge), { dpop: proof });
    for (const res of [mismatch, wrongUrl, replayed]) {
      expect(res.status, res.text).toBe(400);
      expect(res.body.error).toBe('invalid_dpop_proof');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    expect(await pushedCount(t)).toBe(before + 1);
  });

  it('a matching dpop_jkt with the proof, or dpop_jkt alone, is accepted', async () => {
    const both = await push(t, PAR_WEB, pushForm(PAR_WEB, pkce().challenge, { dpop_jkt: key.jkt }), { dpop: await key.proof('POST', PAR_ENDPOINT) });
    const alone = await push(t, PAR_WEB, pushForm(PAR_WEB, pkce().challenge, { dpop_jkt: other.jkt }));
    expect([both.status, alone.status]).toEqual([201, 201]);
  });
});
