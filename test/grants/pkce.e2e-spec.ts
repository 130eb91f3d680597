import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s256CodeChallenge } from '../../src/server/rfc7636/pkce.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { expectOAuthError } from '../token-endpoint/helpers.js';
import { bootGrantApp, expectTokens, issueCode, newVerifier, post, redeem, redirectOf, SPA, WEB, type GrantApp, type TestClient } from './grant-helpers.js';

/** A token request for a code without any code_verifier. */
function redeemWithoutVerifier(t: TestApp, client: TestClient, code: string) {
  return post(t, '/oauth/token', client, { grant_type: 'authorization_code', code, redirect_uri: redirectOf(client) });
}

/**
 * PKCE at the token endpoint (RFC 7636 section 4.6, RFC 9700 section 2.1.1): Authlib behaviours 4.4 (token-side
 * items 50-59, "ours:" values) and security checklist 15-17. Decisions: a missing verifier is invalid_grant
 * (checklist 15; Authlib says invalid_request), a verifier without a stored challenge is invalid_grant
 * (downgrade, checklist 17), a malformed verifier is invalid_request, and every failed check burns the code
 * (checklist 16 POLICY; Authlib 58 keeps it).
 */
describe.each(testMatrix())('PKCE at the token endpoint on %s/%s', (platform, db) => {
  describe.each([
    ['public-clients', 'plain allowed', { pkce: 'public-clients', allowPlainPkce: true }],
    ['all-clients', 'S256 only', { pkce: 'all-clients', allowPlainPkce: false }],
  ] as const)('with authorization.pkce %s, %s', (policy, _plain, authorization) => {
    let g: GrantApp;
    let t: TestApp;

    beforeAll(async () => {
      g = await bootGrantApp(platform, db, { authorization });
      t = g.t;
    });
    afterAll(() => g?.t.close());

    it('redeems with the right S256 verifier (Authlib 57)', async () => {
      expectTokens(await redeem(t, WEB, await issueCode(t, WEB)), { refreshToken: true });
      expectTokens(await redeem(t, SPA, await issueCode(t, SPA)), { refreshToken: true });
    });

    it('refuses a challenge without verifier with invalid_grant, for public and confidential clients (Authlib 50, 53; checklist 15)', async () => {
      for (const client of [SPA, WEB]) {
        const issued = await issueCode(t, client);
        expectOAuthError(await redeemWithoutVerifier(t, client, issued.code), 400, 'invalid_grant');
        expectOAuthError(await redeem(t, client, issued), 400, 'invalid_grant');
      }
    });

    it('refuses a public client whose code has no challenge (Authlib 51)', async () => {
      const issued = await issueCode(t, SPA, { codeChallenge: undefined, codeChallengeMethod: undefined });
      expectOAuthError(await redeemWithoutVerifier(t, SPA, issued.code), 400, 'invalid_grant');
    });

    it(`${policy === 'all-clients' ? 'refuses' : 'accepts'} a confidential client whose code has no challenge (Authlib 52, checklist 12)`, async () => {
      const issued = await issueCode(t, WEB, { codeChallenge: undefined, codeChallengeMethod: undefined });
      const res = await redeemWithoutVerifier(t, WEB, issued.code);
      if (policy === 'all-clients') expectOAuthError(res, 400, 'invalid_grant');
      else expectTokens(res, { refreshToken: true });
    });

    it('refuses a verifier for a code issued without challenge, and burns the code (Authlib 59 ours, checklist 17)', async () => {
      const issued = await issueCode(t, WEB, { codeChallenge: undefined, codeChallengeMethod: undefined });
      expectOAuthError(await redeem(t, WEB, issued), 400, 'invalid_grant');
      const retry = await redeemWithoutVerifier(t, WEB, issued.code);
      expectOAuthError(retry, 400, 'invalid_grant');
    });

    it('refuses a wrong S256 verifier, then the right one: a failed check burns the code (Authlib 57, 58 ours; checklist 16)', async () => {
      const issued = await issueCode(t, SPA);
      expectOAuthError(await redeem(t, SPA, { ...issued, verifier: newVerifier() }), 400, 'invalid_grant');
      expectOAuthError(await redeem(t, SPA, issued), 400, 'invalid_grant');
    });

    it('refuses the challenge itself as verifier (checklist 16)', async () => {
      const verifier = newVerifier();
      const challenge = s256CodeChallenge(verifier);
      const issued = await issueCode(t, WEB, { codeChallenge: challenge });
      expectOAuthError(await redeem(t, WEB, { code: issued.code, verifier: challenge }), 400, 'invalid_grant');
    });

    it.each([
      ['42 characters', 'a'.repeat(42)],
      ['129 characters', 'a'.repeat(129)],
      ['an illegal character', `${'a'.repeat(42)}+`],
      ['the Authlib example "bar"', 'bar'],
    ])('answers invalid_request to a verifier of %s, and burns the code (Authlib 54, checklist 16)', async (_name, verifier) => {
      const issued = await issueCode(t, WEB);
      expectOAuthError(await redeem(t, WEB, { code: issued.code, verifier }), 400, 'invalid_request');
      expectOAuthError(await redeem(t, WEB, issued), 400, 'invalid_grant');
    });

    it(`${authorization.allowPlainPkce ? 'checks' : 'refuses'} plain challenges (Authlib 55, 56; checklist 13)`, async () => {
      const verifier = newVerifier();
      const plain = { codeChallenge: verifier, codeChallengeMethod: 'plain' as const };
      const wrong = await issueCode(t, WEB, plain);
      expectOAuthError(await redeem(t, WEB, { code: wrong.code, verifier: newVerifier() }), 400, 'invalid_grant');
      const right = await issueCode(t, WEB, plain);
      const res = await redeem(t, WEB, { code: right.code, verifier });
      if (authorization.allowPlainPkce) expectTokens(res, { refreshToken: true });
      else expectOAuthError(res, 400, 'invalid_grant');
    });

    it('never redeems a code whose challenge method is unknown', async () => {
      const issued = await issueCode(t, WEB);
      const res = await redeem(t, WEB, issued);
      expect(res.status).toBe(200);
      const verifier = newVerifier();
      const odd = await issueCode(t, WEB, { codeChallenge: s256CodeChallenge(verifier), codeChallengeMethod: 'S512' as 'S256' });
      expectOAuthError(await redeem(t, WEB, { code: odd.code, verifier }), 400, 'invalid_grant');
    });
  });
});
