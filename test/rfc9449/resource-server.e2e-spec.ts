import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessTokenFormat } from '../../src/index.js';
import { CLIENTS } from '../resource/support/resource-app.js';
import { INTROSPECTOR } from '../resource-server/support/introspection-fixture.js';
import { API_AUDIENCE, bootIssuer, bootResourceServer, type IssuerApp, type ResourceServerApp } from '../resource-server/support/resource-server-app.js';
import { basic, postForm, request, type TestResponse } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock } from '../support/test-app.js';
import { expectDpopChallenge } from './support/dpop-app.js';
import { DpopKey } from './support/dpop-key.js';

/** The API's public origin, as configured; the resource server listens elsewhere (behind a proxy, say). */
const API_ORIGIN = 'https://api.example.test';

/**
 * DPoP at a standalone resource server (`AuthResourceModule` with `dpop`): the binding comes from the JWT's `cnf` or
 * the introspection answer's `cnf`, and is enforced as `AuthModule`'s guard does; `htu` is the configured origin plus
 * the path, never the request's Host; a proof is used once per instance. Without `dpop`, bound tokens are refused.
 */
describe.each(testMatrix())('DPoP at a standalone resource server on %s/%s', (platform, db) => {
  const clock = new FakeClock();
  let as: IssuerApp;
  let rs: ResourceServerApp;
  let plain: ResourceServerApp;
  let key: DpopKey;

  beforeAll(async () => {
    as = await bootIssuer(platform, db, {
      clock,
      options: { dpop: {}, clients: [{ ...INTROSPECTOR, allowIntrospection: true }] },
    });
    const options = { issuer: as.issuer, audience: API_AUDIENCE, introspection: INTROSPECTOR };
    rs = await bootResourceServer({ platform, clock, options: { ...options, dpop: { origin: API_ORIGIN } } });
    plain = await bootResourceServer({ platform, clock, options });
    key = await DpopKey.generate('ES256', () => clock.now());
  });
  afterAll(async () => {
    await rs?.close();
    await plain?.close();
    await as?.close();
  });

  async function boundToken(format: AccessTokenFormat): Promise<string> {
    const client = CLIENTS[format];
    const proof = await key.proof('POST', `${as.issuer}/oauth/token`);
    const res = await postForm(`${as.url}/oauth/token`, { grant_type: 'client_credentials', scope: 'profile' }, { authorization: basic(client.clientId, client.clientSecret), dpop: proof });
    expect([res.status, res.body.token_type], res.text).toEqual([200, 'DPoP']);
    return res.body.access_token as string;
  }

  const get = (app: ResourceServerApp, authorization: string, proof?: string): Promise<TestResponse> =>
    request(`${app.url}/api/me`, { headers: { authorization, ...(proof ? { dpop: proof } : {}) } });
  const proofFor = (token: string, htu = `${API_ORIGIN}/api/me`) => key.proof('GET', htu, { accessToken: token });

  it.each(['jwt', 'opaque'] as const)('accepts a bound %s token with the DPoP scheme and a proof, once per proof', async (format) => {
    const token = await boundToken(format);
    const proof = await proofFor(token);
    const ok = await get(rs, `DPoP ${token}`, proof);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toMatchObject({ format, clientId: CLIENTS[format].clientId });
    expectDpopChallenge(await get(rs, `DPoP ${token}`, proof), 'invalid_dpop_proof');
  });

  it.each(['jwt', 'opaque'] as const)('refuses a bound %s token with the Bearer scheme', async (format) => {
    const res = await get(rs, `Bearer ${await boundToken(format)}`);
    expect([res.status, res.body.error]).toEqual([401, 'invalid_token']);
    expect(res.headers.get('www-authenticate')).toMatch(/, DPoP algs="ES256 /);
  });

  it('takes htu from the configured origin, not from the Host the request came to', async () => {
    const token = await boundToken('jwt');
    expectDpopChallenge(await get(rs, `DPoP ${token}`, await proofFor(token, `${rs.url}/api/me`)), 'invalid_dpop_proof');
  });

  it('refuses bound tokens at a resource server without dpop, whatever the scheme', async () => {
    const token = await boundToken('jwt');
    const bearer = await get(plain, `Bearer ${token}`);
    expect([bearer.status, bearer.body.error]).toEqual([401, 'invalid_token']);
    const dpop = await get(plain, `DPoP ${token}`, await proofFor(token));
    expect(dpop.status).toBe(401);
    expect(dpop.headers.get('www-authenticate')).toBe(`Bearer realm="${as.issuer}"`);
  });
});
