import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, authorizeWithLogin, clientRedirect, pkce, sha256, tableRows, TestBrowser } from '../support/authorization-flow.js';
import { request } from '../support/http.js';
import { bootFlowApp, codeRequest, createdRows, SPA, WEB } from '../support/flow-app.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';

const METADATA = '/.well-known/oauth-authorization-server';

/** The parameters without PKCE. */
function withoutPkce(params: Record<string, string>): Record<string, string> {
  const { code_challenge: _c, code_challenge_method: _m, ...rest } = params;
  return rest;
}

/**
 * PKCE at the authorization endpoint (RFC 7636 section 4.3, 4.4.1; OAuth 2.1 section 4.1.1): S256 from every
 * client by default, `plain` refused unless allowed (checklist B11-B14; Authlib 4.4 items 46-49, 52 with
 * ours: required for confidential clients too, and no plain default).
 */
describe.each(testMatrix())('PKCE at the authorization endpoint on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootFlowApp(platform, db);
  });
  afterAll(() => t?.close());

  async function expectPkceError(params: Record<string, string>, redirectUri: string) {
    const before = await createdRows(t);
    const result = clientRedirect(await request(`${t.url}${authorizePath(params)}`), redirectUri);
    expect(result.get('error')).toBe('invalid_request');
    expect(result.get('state')).toBe('st-123');
    expect(result.get('iss')).toBe(t.issuer);
    expect(await createdRows(t)).toEqual(before);
  }

  it('requires a challenge from public and confidential clients alike (B11, B12)', async () => {
    await expectPkceError(withoutPkce(codeRequest(SPA, pkce().challenge)), 'https://spa.test/cb');
    await expectPkceError(withoutPkce(codeRequest(WEB, pkce().challenge)), 'https://client.test/cb');
  });

  it('refuses plain, explicit or defaulted (B13; Authlib 4.4 item 49 ours)', async () => {
    const { challenge } = pkce();
    await expectPkceError(codeRequest(SPA, challenge, { code_challenge_method: 'plain' }), 'https://spa.test/cb');
    const { code_challenge_method: _m, ...noMethod } = codeRequest(SPA, challenge);
    await expectPkceError(noMethod, 'https://spa.test/cb');
  });

  it('checks the challenge syntax and the method (B14; Authlib 4.4 items 46-48)', async () => {
    for (const challenge of ['a'.repeat(42), 'a'.repeat(129), `${'a'.repeat(42)}+`, `${'a'.repeat(42)}/`, `${'a'.repeat(42)}=`, `${'a'.repeat(42)} `, 'abc']) {
      await expectPkceError(codeRequest(SPA, challenge), 'https://spa.test/cb');
    }
    for (const method of ['S512', 's256', 'invalid']) {
      await expectPkceError(codeRequest(SPA, pkce().challenge, { code_challenge_method: method }), 'https://spa.test/cb');
    }
    const { code_challenge: _c, ...methodOnly } = codeRequest(SPA, pkce().challenge);
    await expectPkceError(methodOnly, 'https://spa.test/cb');
  });

  it('accepts S256 challenges of 43 to 128 unreserved characters', async () => {
    for (const challenge of [pkce().challenge, 'A-._~'.repeat(25) + 'abc']) {
      const res = await request(`${t.url}${authorizePath(codeRequest(SPA, challenge))}`);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toContain('/oauth/interaction/');
    }
  });

  it('advertises only S256 (B13)', async () => {
    expect((await request(`${t.url}${METADATA}`)).body.code_challenge_methods_supported).toEqual(['S256']);
  });
});

describe.each(testMatrix())('PKCE options on %s/%s', (platform, db) => {
  let plain: TestApp;
  let publicOnly: TestApp;
  beforeAll(async () => {
    plain = await bootFlowApp(platform, db, { options: { authorization: { allowPlainPkce: true } } });
    publicOnly = await bootFlowApp(platform, db, { options: { authorization: { pkce: 'public-clients' } } });
  });
  afterAll(async () => {
    await plain?.close();
    await publicOnly?.close();
  });

  it('with allowPlainPkce, accepts plain (explicit or defaulted), binds it to the code and advertises it', async () => {
    const verifier = pkce().verifier;
    const { code_challenge_method: _m, ...noMethod } = codeRequest(SPA, verifier);
    const done = await authorizeWithLogin(new TestBrowser(plain), noMethod);
    const code = clientRedirect(done, 'https://spa.test/cb').get('code')!;
    const row = (await tableRows(plain.app, 'AuthorizationCodeEntity')).find((r) => r.code_hash === sha256(code))!;
    expect(row).toMatchObject({ code_challenge: verifier, code_challenge_method: 'plain' });
    const explicit = await request(`${plain.url}${authorizePath(codeRequest(SPA, verifier, { code_challenge_method: 'plain' }))}`);
    expect(explicit.headers.get('location')).toContain('/oauth/interaction/');
    expect((await request(`${plain.url}${METADATA}`)).body.code_challenge_methods_supported).toEqual(['S256', 'plain']);
  });

  it("with pkce 'public-clients', lets a confidential client skip PKCE but not a public one (Authlib 4.4 item 52)", async () => {
    const confidential = await request(`${publicOnly.url}${authorizePath(withoutPkce(codeRequest(WEB, '')))}`);
    expect(confidential.status).toBe(303);
    expect(confidential.headers.get('location')).toContain('/oauth/interaction/');
    const pub = await request(`${publicOnly.url}${authorizePath(withoutPkce(codeRequest(SPA, '')))}`);
    expect(clientRedirect(pub, 'https://spa.test/cb').get('error')).toBe('invalid_request');
  });
});
