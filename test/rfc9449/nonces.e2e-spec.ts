import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MACHINE, type GrantApp } from '../grants/grant-helpers.js';
import { testMatrix } from '../support/matrix.js';
import { apiHtu, bootDpopApp, expectDpopChallenge, expectTokenError, getWith, newKey, TOKEN_HTU, tokenPost } from './support/dpop-app.js';
import type { DpopKey } from './support/dpop-key.js';

const CC = { grant_type: 'client_credentials', scope: 'a' };

/**
 * Server nonces (RFC 9449 sections 8 and 9) with `dpop.requireNonce`, and `dpop.required`: every token request needs
 * a proof; a proof without the current (or previous) window's nonce is `use_dpop_nonce` with a fresh `DPoP-Nonce`
 * (400 at the token endpoint, 401 with a DPoP challenge at a resource); every response hands out a fresh nonce.
 */
describe.each(testMatrix())('DPoP nonces on %s/%s', (platform, db) => {
  let app: GrantApp;
  let key: DpopKey;

  beforeAll(async () => {
    app = await bootDpopApp(platform, db, { required: true, requireNonce: true, nonceLifetime: 60 });
    key = await newKey(app);
  });
  afterAll(() => app?.t.close());

  /** A token request with a proof carrying `nonce`. */
  const withNonce = async (nonce?: string) => tokenPost(app, MACHINE, CC, await key.proof('POST', TOKEN_HTU, { nonce }));

  it('requires a proof from every client under dpop.required, and hands out a nonce meanwhile', async () => {
    const res = await tokenPost(app, MACHINE, CC);
    expectTokenError(res, 'invalid_dpop_proof');
    expect(res.headers.get('dpop-nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers a proof without a nonce with use_dpop_nonce and a nonce, then accepts the retry', async () => {
    const first = await withNonce();
    expectTokenError(first, 'use_dpop_nonce');
    const nonce = first.headers.get('dpop-nonce')!;
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const retry = await withNonce(nonce);
    expect(retry.status, retry.text).toBe(200);
    expect(retry.body.token_type).toBe('DPoP');
    expect(retry.headers.get('dpop-nonce')).toBe(nonce);
  });

  it('accepts a nonce during its window and the next, then asks for a new one', async () => {
    const nonce = (await withNonce()).headers.get('dpop-nonce')!;
    app.clock.advance(60);
    const next = await withNonce(nonce);
    expect(next.status, next.text).toBe(200);
    const fresh = next.headers.get('dpop-nonce')!;
    expect(fresh).not.toBe(nonce);
    app.clock.advance(60);
    const stale = await withNonce(nonce);
    expectTokenError(stale, 'use_dpop_nonce');
    expect(stale.headers.get('dpop-nonce')).not.toBe(nonce);
    expect((await withNonce(fresh)).status).toBe(200);
  });

  it('answers a made-up nonce with use_dpop_nonce', async () => {
    expectTokenError(await withNonce('A'.repeat(43)), 'use_dpop_nonce');
  });

  it('asks for a nonce at a guarded route with a 401 DPoP challenge, then serves the retry with a fresh nonce', async () => {
    const nonce = (await withNonce()).headers.get('dpop-nonce')!;
    const token = (await withNonce(nonce)).body.access_token as string;
    const refused = await getWith(app, '/api/a', `DPoP ${token}`, await key.proof('GET', apiHtu('/api/a'), { accessToken: token }));
    expectDpopChallenge(refused, 'use_dpop_nonce');
    const resourceNonce = refused.headers.get('dpop-nonce')!;
    const ok = await getWith(app, '/api/a', `DPoP ${token}`, await key.proof('GET', apiHtu('/api/a'), { accessToken: token, nonce: resourceNonce }));
    expect(ok.status, ok.text).toBe(200);
    expect(ok.headers.get('dpop-nonce')).toBe(resourceNonce);
  });
});
