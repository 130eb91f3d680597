import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MACHINE, type GrantApp } from '../grants/grant-helpers.js';
import { testMatrix } from '../support/matrix.js';
import { apiHtu, bootDpopApp, expectDpopChallenge, expectTokenError, getWith, newKey, TOKEN_HTU, tokenPost } from './support/dpop-app.js';
import type { DpopKey } from './support/dpop-key.js';

const CC = { grant_type: 'client_credentials', scope: 'a' };

/**
 * Two instances on one database (a shared SQLite file, or one PostgreSQL schema) and one encryption secret, as behind a
 * load balancer (RFC 9449 section 11.1, FL6): a proof used at one instance is refused at the other, at the token
 * endpoint and at a guarded route; a nonce handed out by one is accepted by the other, with nothing stored.
 */
describe.each(testMatrix())('DPoP across two instances on %s/%s', (platform, db) => {
  let a: GrantApp;
  let b: GrantApp;
  let key: DpopKey;

  beforeAll(async () => {
    const dpop = { requireNonce: true };
    a = await bootDpopApp(platform, db, dpop);
    // One clock for both: the instances agree on time, as NTP-synchronised hosts do.
    b = await bootDpopApp(platform, db, dpop, {}, { database: a.t.database, clock: a.clock });
    key = await newKey(a);
  });
  afterAll(async () => {
    await b?.t.close();
    await a?.t.close();
  });

  it('accepts a nonce from one instance at the other', async () => {
    const nonce = (await tokenPost(a, MACHINE, CC, await key.proof('POST', TOKEN_HTU))).headers.get('dpop-nonce')!;
    const res = await tokenPost(b, MACHINE, CC, await key.proof('POST', TOKEN_HTU, { nonce }));
    expect(res.status, res.text).toBe(200);
    expect(res.body.token_type).toBe('DPoP');
  });

  it('refuses at one instance a proof used at the other, at the token endpoint and at a guarded route', async () => {
    const nonce = (await tokenPost(a, MACHINE, CC)).headers.get('dpop-nonce')!;
    const proof = await key.proof('POST', TOKEN_HTU, { nonce });
    const first = await tokenPost(a, MACHINE, CC, proof);
    expect(first.status, first.text).toBe(200);
    expectTokenError(await tokenPost(b, MACHINE, CC, proof), 'invalid_dpop_proof');

    const token = first.body.access_token as string;
    const resourceProof = await key.proof('GET', apiHtu('/api/a'), { accessToken: token, nonce });
    expect((await getWith(a, '/api/a', `DPoP ${token}`, resourceProof)).status).toBe(200);
    expectDpopChallenge(await getWith(b, '/api/a', `DPoP ${token}`, resourceProof), 'invalid_dpop_proof');
    expect((await getWith(b, '/api/a', `DPoP ${token}`, await key.proof('GET', apiHtu('/api/a'), { accessToken: token, nonce }))).status).toBe(200);
  });
});
