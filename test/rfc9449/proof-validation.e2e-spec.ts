import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MACHINE, type GrantApp } from '../grants/grant-helpers.js';
import { tableRows } from '../support/authorization-flow.js';
import { basic } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootDpopApp, expectTokenError, newKey, rawRequest, TOKEN_HTU, tokenPost } from './support/dpop-app.js';
import { DpopKey, unsignedJwt } from './support/dpop-key.js';

const CC = { grant_type: 'client_credentials', scope: 'a' };

/**
 * RFC 9449 section 4.3 at the token endpoint (security checklist 57, FL9): every malformed, misdirected, stale or
 * replayed proof is 400 `invalid_dpop_proof` and issues nothing; `htu` is compared ignoring query and fragment, with
 * scheme case, default port and dot segments normalised; `iat` 10 s off either way is accepted, an hour off is not.
 */
describe.each(testMatrix())('DPoP proof validation at the token endpoint on %s/%s', (platform, db) => {
  let app: GrantApp;
  let key: DpopKey;
  let other: DpopKey;
  const now = () => Math.floor(app.clock.now() / 1000);

  beforeAll(async () => {
    app = await bootDpopApp(platform, db);
    [key, other] = await Promise.all([newKey(app), newKey(app)]);
  });
  afterAll(() => app?.t.close());

  const send = (proof?: string) => tokenPost(app, MACHINE, CC, proof);

  it('binds the token to the proof key: token_type DPoP, cnf.jkt in the JWT', async () => {
    const res = await send(await key.proof('POST', TOKEN_HTU));
    expect(res.status, res.text).toBe(200);
    expect(res.body.token_type).toBe('DPoP');
    expect(decodeJwt(res.body.access_token as string).cnf).toEqual({ jkt: key.jkt });
    expect(res.headers.get('dpop-nonce')).toBeNull();
  });

  it('issues a bearer token without a proof (DPoP is optional by default)', async () => {
    const res = await send();
    expect(res.status, res.text).toBe(200);
    expect(res.body.token_type).toBe('Bearer');
    expect(decodeJwt(res.body.access_token as string).cnf).toBeUndefined();
  });

  it.each(['RS256', 'PS256', 'EdDSA', 'Ed25519', 'ES384'])('accepts proofs signed with %s', async (alg) => {
    const signer = await newKey(app, alg);
    const res = await send(await signer.proof('POST', TOKEN_HTU));
    expect(res.status, res.text).toBe(200);
    expect(decodeJwt(res.body.access_token as string).cnf).toEqual({ jkt: signer.jkt });
  });

  it.each([
    ['scheme in capitals, explicit default port, query and fragment', 'HTTP://127.0.0.1:80/oauth/token?x=1#f'],
    ['dot segments', 'http://127.0.0.1/oauth/./x/../token'],
  ])('compares htu normalised (%s)', async (_, htu) => {
    expect((await send(await key.proof('POST', htu))).status).toBe(200);
  });

  it.each([-10, 10])('accepts iat %i s from the server clock (FL9)', async (offset) => {
    expect((await send(await key.proof('POST', TOKEN_HTU, { iat: now() + offset }))).status).toBe(200);
  });

  type Case = [string, () => Promise<string>];
  const cases: Case[] = [
    ['not a JWT', async () => 'not-a-jwt'],
    ['two segments', async () => (await key.proof('POST', TOKEN_HTU)).split('.').slice(0, 2).join('.')],
    ['typ JWT', () => key.proof('POST', TOKEN_HTU, { header: { typ: 'JWT' } })],
    ['no typ', () => key.proof('POST', TOKEN_HTU, { header: { typ: undefined } })],
    ['alg none', async () => unsignedJwt({ alg: 'none', typ: 'dpop+jwt', jwk: key.publicJwk }, { jti: 'j1', htm: 'POST', htu: TOKEN_HTU, iat: now() })],
    [
      'alg HS256',
      () =>
        new SignJWT({ jti: 'j2', htm: 'POST', htu: TOKEN_HTU, iat: now() })
          .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: { kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0' } } as never)
          .sign(new TextEncoder().encode('secret-secret-secret-secret-1234')),
    ],
    ['an algorithm not offered (ES512)', async () => (await DpopKey.generate('ES512', () => app.clock.now())).proof('POST', TOKEN_HTU)],
    ['no jwk', () => key.proof('POST', TOKEN_HTU, { header: { jwk: undefined } })],
    ['a private key in jwk', () => key.proof('POST', TOKEN_HTU, { header: { jwk: key.privateJwk } })],
    ['a symmetric jwk', () => key.proof('POST', TOKEN_HTU, { header: { jwk: { kty: 'oct', k: 'c2VjcmV0' } } })],
    ['a tampered payload', async () => {
      const [header, , signature] = (await key.proof('POST', TOKEN_HTU)).split('.');
      const payload = Buffer.from(JSON.stringify({ jti: 'forged', htm: 'POST', htu: TOKEN_HTU, iat: now() })).toString('base64url');
      return `${header}.${payload}.${signature}`;
    }],
    ['a signature by another key', async () => {
      const [, payload, signature] = (await other.proof('POST', TOKEN_HTU)).split('.');
      const header = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.publicJwk })).toString('base64url');
      return `${header}.${payload}.${signature}`;
    }],
    ['no jti', () => key.proof('POST', TOKEN_HTU, { claims: { jti: undefined } })],
    ['a 300-character jti', () => key.proof('POST', TOKEN_HTU, { jti: 'j'.repeat(300) })],
    ['no htm', () => key.proof('POST', TOKEN_HTU, { claims: { htm: undefined } })],
    ['no htu', () => key.proof('POST', TOKEN_HTU, { claims: { htu: undefined } })],
    ['no iat', () => key.proof('POST', TOKEN_HTU, { claims: { iat: undefined } })],
    ['htm GET', () => key.proof('GET', TOKEN_HTU)],
    ['htm post (methods are case-sensitive)', () => key.proof('post', TOKEN_HTU)],
    ['htu of another endpoint', () => key.proof('POST', 'http://127.0.0.1/oauth/introspect')],
    ['htu of another host', () => key.proof('POST', 'http://127.0.0.2/oauth/token')],
    ['htu with https', () => key.proof('POST', 'https://127.0.0.1/oauth/token')],
    ['htu with user information', () => key.proof('POST', 'http://u:p@127.0.0.1/oauth/token')],
    ['iat an hour ago', () => key.proof('POST', TOKEN_HTU, { iat: now() - 3600 })],
    ['iat an hour ahead', () => key.proof('POST', TOKEN_HTU, { iat: now() + 3600 })],
    ['a string iat', () => key.proof('POST', TOKEN_HTU, { claims: { iat: String(now()) } })],
    ['an expired exp', () => key.proof('POST', TOKEN_HTU, { claims: { exp: now() - 120 } })],
    ['a future nbf', () => key.proof('POST', TOKEN_HTU, { claims: { nbf: now() + 120 } })],
    ['a non-string nonce', () => key.proof('POST', TOKEN_HTU, { claims: { nonce: 42 } })],
  ];

  it.each(cases)('refuses a proof with %s: 400 invalid_dpop_proof, nothing issued', async (_, build) => {
    const before = (await tableRows(app.t.app, 'AccessTokenEntity')).length;
    expectTokenError(await send(await build()), 'invalid_dpop_proof');
    expect((await tableRows(app.t.app, 'AccessTokenEntity')).length).toBe(before);
  });

  it('refuses a replayed proof (jti used once)', async () => {
    const proof = await key.proof('POST', TOKEN_HTU);
    expect((await send(proof)).status).toBe(200);
    const replay = await send(proof);
    expectTokenError(replay, 'invalid_dpop_proof');
    expect(replay.body.error_description).toMatch(/used before/);
  });

  it('refuses a proof whose iat has aged past proofMaxAge, even never used', async () => {
    const proof = await key.proof('POST', TOKEN_HTU);
    app.clock.advance(61);
    expectTokenError(await send(proof), 'invalid_dpop_proof');
  });

  it('refuses two DPoP headers and an oversized one', async () => {
    const form = new URLSearchParams(CC).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(MACHINE.id, MACHINE.secret!) };
    const two = await rawRequest(`${app.t.url}/oauth/token`, 'POST', { ...headers, dpop: [await key.proof('POST', TOKEN_HTU), await key.proof('POST', TOKEN_HTU)] }, form);
    expect([two.status, two.body.error]).toEqual([400, 'invalid_dpop_proof']);
    const huge = await rawRequest(`${app.t.url}/oauth/token`, 'POST', { ...headers, dpop: 'a'.repeat(10_000) }, form);
    expect([huge.status, huge.body.error]).toEqual([400, 'invalid_dpop_proof']);
  });

  it('checks client authentication first: a wrong secret is 401 whatever the proof', async () => {
    const res = await tokenPost(app, { id: MACHINE.id, secret: 'wrong-secret-000000' }, CC, 'garbage');
    expect([res.status, res.body.error]).toEqual([401, 'invalid_client']);
  });
});
