import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthnestPassportGuard, type AccessTokenInfo } from '../../src/index.js';
import { issueCode, MACHINE, redeem, WEB, type GrantApp } from '../grants/grant-helpers.js';
import { testMatrix } from '../support/matrix.js';
import { TEST_ISSUER } from '../support/test-app.js';
import { apiHtu, boundToken, bootDpopApp, expectDpopChallenge, getWith, newKey, rawRequest, TOKEN_HTU, tokenPost } from './support/dpop-app.js';
import { unsignedJwt, type DpopKey } from './support/dpop-key.js';

const ALGS = 'ES256 ES384 RS256 PS256 EdDSA Ed25519';
const USERINFO_HTU = `${TEST_ISSUER}/oauth/userinfo`;

@Controller('passport')
@UseGuards(AuthnestPassportGuard)
class PassportController {
  @Get('me')
  me(@Req() request: { user?: AccessTokenInfo }) {
    return { clientId: request.user?.clientId };
  }
}

/**
 * The resource side of RFC 9449 (section 7, security checklist 41 and 57): `BearerAuthGuard` accepts a DPoP-bound
 * token only with the DPoP scheme and a proof for this request (method, URI, `ath`) by the bound key; every other
 * combination is 401 with a DPoP challenge (or the Bearer challenge plus `DPoP algs` for Bearer requests). UserInfo
 * follows the same rules; the passport strategy refuses bound tokens.
 */
describe.each(testMatrix())('DPoP at guarded routes on %s/%s', (platform, db) => {
  let app: GrantApp;
  let key: DpopKey;
  let other: DpopKey;
  let token: string;
  const now = () => Math.floor(app.clock.now() / 1000);
  const proofFor = (path = '/api/a', spec: Parameters<DpopKey['proof']>[2] = {}) => key.proof('GET', apiHtu(path), { accessToken: token, ...spec });
  const call = (proof?: string, path = '/api/a') => getWith(app, path, `DPoP ${token}`, proof);

  beforeAll(async () => {
    app = await bootDpopApp(platform, db, {}, {}, { controllers: [PassportController] });
    [key, other] = await Promise.all([newKey(app), newKey(app)]);
    token = await boundToken(app, MACHINE, key);
  });
  afterAll(() => app?.t.close());

  it('accepts the bound token with the DPoP scheme and a proof of its key', async () => {
    const res = await call(await proofFor());
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ ok: 'a', clientId: MACHINE.id });
    expect(res.headers.get('dpop-nonce')).toBeNull();
  });

  it('refuses the bound token with the Bearer scheme: 401 invalid_token, Bearer challenge plus DPoP algs', async () => {
    const res = await getWith(app, '/api/a', `Bearer ${token}`);
    expect([res.status, res.body.error]).toEqual([401, 'invalid_token']);
    expect(res.headers.get('www-authenticate')).toMatch(new RegExp(`^Bearer realm="${TEST_ISSUER}", error="invalid_token", error_description="[^"]+", DPoP algs="${ALGS}"$`));
  });

  it('offers both schemes to a request without credentials (checklist 41)', async () => {
    const res = await getWith(app, '/api/a', '');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="${TEST_ISSUER}", DPoP algs="${ALGS}"`);
  });

  it('refuses a bearer token sent with the DPoP scheme, even with a valid proof', async () => {
    const bearer = (await tokenPost(app, MACHINE, { grant_type: 'client_credentials', scope: 'a' })).body.access_token as string;
    expect((await getWith(app, '/api/a', `Bearer ${bearer}`)).status).toBe(200);
    const res = await getWith(app, '/api/a', `DPoP ${bearer}`, await key.proof('GET', apiHtu('/api/a'), { accessToken: bearer }));
    expectDpopChallenge(res, 'invalid_token');
  });

  it('compares htu ignoring query and fragment, with scheme case and default port normalised', async () => {
    const proof = await key.proof('GET', 'HTTP://127.0.0.1:80/api/a?page=2#top', { accessToken: token });
    const res = await getWith(app, '/api/a?page=3', `DPoP ${token}`, proof);
    expect(res.status, res.text).toBe(200);
  });

  type Case = [string, () => Promise<string | undefined>, string?];
  const cases: Case[] = [
    ['no proof', async () => undefined],
    ['a non-JWT proof', async () => 'not.a.jwt'],
    ['typ JWT', () => proofFor('/api/a', { header: { typ: 'JWT' } })],
    ['alg none', async () => unsignedJwt({ alg: 'none', typ: 'dpop+jwt', jwk: key.publicJwk }, { jti: 'n1', htm: 'GET', htu: apiHtu('/api/a'), iat: now() })],
    ['alg HS256', async () => unsignedJwt({ alg: 'HS256', typ: 'dpop+jwt', jwk: key.publicJwk }, { jti: 'h1', htm: 'GET', htu: apiHtu('/api/a'), iat: now() }, 'c2lnbmF0dXJl')],
    ['no jti', () => proofFor('/api/a', { claims: { jti: undefined } })],
    ['no htm', () => proofFor('/api/a', { claims: { htm: undefined } })],
    ['no htu', () => proofFor('/api/a', { claims: { htu: undefined } })],
    ['no iat', () => proofFor('/api/a', { claims: { iat: undefined } })],
    ['no ath', () => key.proof('GET', apiHtu('/api/a'))],
    ['a private key in jwk', () => proofFor('/api/a', { header: { jwk: key.privateJwk } })],
    ['a bad signature', async () => `${(await proofFor()).slice(0, -6)}AAAAAA`],
    ['a wrong htm', () => key.proof('POST', apiHtu('/api/a'), { accessToken: token })],
    ['a wrong htu (another route)', () => proofFor('/api/b')],
    ['a wrong htu (the token endpoint)', () => key.proof('GET', TOKEN_HTU, { accessToken: token })],
    ['iat an hour ago', () => proofFor('/api/a', { iat: now() - 3600 })],
    ['iat an hour ahead', () => proofFor('/api/a', { iat: now() + 3600 })],
    ['a wrong ath', () => proofFor('/api/a', { accessToken: `${token}x` })],
    ['a proof by another key', () => other.proof('GET', apiHtu('/api/a'), { accessToken: token }), 'invalid_token'],
  ];

  it.each(cases)('refuses %s with 401 and a DPoP challenge, and the next correct proof still works', async (_, build, error = 'invalid_dpop_proof') => {
    expectDpopChallenge(await call(await build()), error);
    expect((await call(await proofFor())).status).toBe(200);
  });

  it('refuses a replayed proof', async () => {
    const proof = await proofFor();
    expect((await call(proof)).status).toBe(200);
    const replay = await call(proof);
    expectDpopChallenge(replay, 'invalid_dpop_proof');
    expect(replay.body.error_description).toMatch(/used before/);
  });

  it('refuses two DPoP headers', async () => {
    const res = await rawRequest(`${app.t.url}/api/a`, 'GET', { authorization: `DPoP ${token}`, dpop: [await proofFor(), await proofFor()] });
    expect([res.status, res.body.error]).toEqual([401, 'invalid_dpop_proof']);
  });

  it('never takes htu from the Host or forwarded headers (checklist 567)', async () => {
    const spoofed = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', authorization: `DPoP ${token}` };
    const forEvil = await key.proof('GET', 'http://evil.example/api/a', { accessToken: token });
    expect((await rawRequest(`${app.t.url}/api/a`, 'GET', { ...spoofed, dpop: forEvil })).status).toBe(401);
    expect((await rawRequest(`${app.t.url}/api/a`, 'GET', { ...spoofed, dpop: await proofFor() })).status).toBe(200);
  });

  it('answers a malformed DPoP Authorization header with 400 invalid_request', async () => {
    const res = await getWith(app, '/api/a', 'DPoP a b');
    expect([res.status, res.body.error]).toEqual([400, 'invalid_request']);
    expect(res.headers.get('www-authenticate')).toContain(`DPoP algs="${ALGS}"`);
  });

  it('tells insufficient_scope with the DPoP scheme to a DPoP request', async () => {
    const res = await call(await proofFor('/api/b'), '/api/b');
    expect([res.status, res.body.error]).toEqual([403, 'insufficient_scope']);
    expect(res.headers.get('www-authenticate')).toMatch(/^DPoP error="insufficient_scope", error_description="[^"]+", algs="/);
  });

  it('serves UserInfo to a bound token only with the DPoP scheme and a proof for the UserInfo URL', async () => {
    const issued = await issueCode(app.t, WEB, { scopes: ['openid', 'a'] });
    const tokens = await redeem(app.t, WEB, issued);
    expect(tokens.status, tokens.text).toBe(200);
    const bearer = tokens.body.access_token as string;
    const userinfoToken = await (async () => {
      const second = await issueCode(app.t, WEB, { scopes: ['openid', 'a'] });
      const res = await tokenPost(app, WEB, { grant_type: 'authorization_code', code: second.code, redirect_uri: 'https://client.test/cb', code_verifier: second.verifier }, await key.proof('POST', TOKEN_HTU));
      expect(res.body.token_type, res.text).toBe('DPoP');
      return res.body.access_token as string;
    })();
    expect((await getWith(app, '/oauth/userinfo', `Bearer ${bearer}`)).status).toBe(200);
    const asBearer = await getWith(app, '/oauth/userinfo', `Bearer ${userinfoToken}`);
    expect([asBearer.status, asBearer.body.error]).toEqual([401, 'invalid_token']);
    const wrongUrl = await getWith(app, '/oauth/userinfo', `DPoP ${userinfoToken}`, await key.proof('GET', apiHtu('/api/a'), { accessToken: userinfoToken }));
    expectDpopChallenge(wrongUrl, 'invalid_dpop_proof');
    const ok = await getWith(app, '/oauth/userinfo', `DPoP ${userinfoToken}`, await key.proof('GET', USERINFO_HTU, { accessToken: userinfoToken }));
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.sub).toBe('alice');
  });

  it('refuses a bound token at a passport-guarded route (Bearer scheme only there)', async () => {
    const res = await getWith(app, '/passport/me', `Bearer ${token}`);
    expect([res.status, res.body.error]).toEqual([401, 'invalid_token']);
  });
});
