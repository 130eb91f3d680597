import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pkce, TestBrowser } from '../support/authorization-flow.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { bootRegistrationApp, registerOk, STATIC_CLIENT } from './support.js';

const PHISH = 'https://phish.test/cb';

/**
 * A self-registered client's redirect URI is whatever its registrant chose, so the server must not send a browser
 * there with an error nobody asked the user about (RFC 9700 section 4.11.2, security checklist 8): before the user
 * did anything, errors of such a client are a page. Errors of clients configured by the server's owner still redirect.
 */
describe.each(testMatrix())('authorization errors of registered clients are pages, not redirects, on %s/%s', (platform, db) => {
  let t: TestApp;
  let clientId: string;

  beforeAll(async () => {
    t = await bootRegistrationApp(platform, db, {
      registration: { mode: 'open', grantTypes: ['authorization_code'], allowedScopes: ['profile'] },
      options: { clients: [{ ...STATIC_CLIENT, grantTypes: ['authorization_code'], redirectUris: ['https://static.example/cb'], scopes: ['profile'] }] },
    });
    clientId = (await registerOk(t, { redirect_uris: [PHISH], grant_types: ['authorization_code'], token_endpoint_auth_method: 'none', scope: 'profile' })).clientId;
  });
  afterAll(async () => {
    await t?.close();
  });

  const authorize = (params: Record<string, string>) => new TestBrowser(t).get(`/oauth/authorize?${new URLSearchParams(params).toString()}`);
  const base = (id: string, redirect: string) => ({ response_type: 'code', client_id: id, redirect_uri: redirect, state: 's', code_challenge: pkce().challenge, code_challenge_method: 'S256' });

  it.each([
    ['an unknown scope', { scope: 'nope' }],
    ['an unsupported response_mode', { response_mode: 'fragment' }],
    ['prompt=none without a session', { scope: 'profile', prompt: 'none' }],
  ])('shows %s as a 400 page instead of redirecting to the registered URI', async (_name, extra) => {
    const res = await authorize({ ...base(clientId, PHISH), ...extra });
    expect(res.status, res.text).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it("still redirects the same error of a client the server's owner configured", async () => {
    const res = await authorize({ ...base(STATIC_CLIENT.clientId, 'https://static.example/cb'), scope: 'nope' });
    expect([302, 303]).toContain(res.status);
    expect(res.headers.get('location')).toMatch(/^https:\/\/static\.example\/cb\?error=invalid_scope/);
  });
});
