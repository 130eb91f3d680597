import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, formOf, pkce, TestBrowser } from '../support/authorization-flow.js';
import { request } from '../support/http.js';
import { bootFlowApp, codeRequest, SCOPES, SPA } from '../support/flow-app.js';
import { testMatrix } from '../support/matrix.js';
import { expectPageHeaders } from '../support/page-headers.js';
import type { TestApp } from '../support/test-app.js';

const MARKUP_SCOPE = '<b>x</b>';
const EVIL = {
  ...SPA,
  clientId: 'evil',
  name: `<img src=x onerror=alert(1)>"'&amp;{{7*7}}`,
  scopes: [...SCOPES, MARKUP_SCOPE],
  redirectUris: ['https://evil-client.test/cb'],
};

/**
 * Security headers and escaping of every page (checklist H66, H68, I72): CSP without unsafe-inline, no framing,
 * no sniffing, no referrer, no caching; client names and scopes rendered as inert text.
 */
describe.each(testMatrix())('interaction page headers on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootFlowApp(platform, db, {
      clients: [SPA, EVIL],
      options: { scopes: [...SCOPES, MARKUP_SCOPE], loginRateLimit: { perAccount: { max: 1, window: 60 } } },
    });
  });
  afterAll(() => t?.close());

  it('sends the headers on the login, consent, error and rate-limit pages', async () => {
    const browser = new TestBrowser(t);
    const start = await browser.get(authorizePath(codeRequest(SPA, pkce().challenge)));
    expect(start.headers.get('cache-control')).toBe('no-store');
    expect(start.headers.get('referrer-policy')).toBe('no-referrer');
    const loginPage = await browser.follow(start);
    expectPageHeaders(loginPage, 'https://spa.test');
    const login = formOf(loginPage.text);
    const consentPage = await browser.follow(await browser.post(login.action, { csrf: login.csrf, username: 'alice', password: 'alice-password' }));
    expectPageHeaders(consentPage, 'https://spa.test');
    expectPageHeaders(await request(`${t.url}/oauth/authorize`));
    expectPageHeaders(await new TestBrowser(t).get(start.headers.get('location')!)); // 403: not this browser
    const other = new TestBrowser(t);
    const page = formOf((await other.follow(await other.get(authorizePath(codeRequest(SPA, pkce().challenge))))).text);
    await other.post(page.action, { csrf: page.csrf, username: 'zed', password: 'wrong' });
    const limited = await other.post(page.action, { csrf: page.csrf, username: 'zed', password: 'wrong' });
    expect(limited.status).toBe(429);
    expectPageHeaders(limited, 'https://spa.test');
  });

  it('renders a hostile client name and a markup scope as escaped text (H68)', async () => {
    const browser = new TestBrowser(t);
    const start = await browser.get(authorizePath(codeRequest(EVIL, pkce().challenge, { scope: `profile ${MARKUP_SCOPE}` })));
    const loginPage = await browser.follow(start);
    const escapedName = '&#60;img src=x onerror=alert(1)&#62;&#34;&#39;&#38;amp;{{7*7}}';
    expect(loginPage.text).toContain(escapedName);
    const login = formOf(loginPage.text);
    const consentPage = await browser.follow(await browser.post(login.action, { csrf: login.csrf, username: 'bob', password: 'bob-password' }));
    expect(consentPage.status).toBe(200);
    expect(consentPage.text).toContain(escapedName);
    expect(consentPage.text).toContain('<code>&#60;b&#62;x&#60;/b&#62;</code>');
    expect(consentPage.text).not.toContain('<b>x</b>');
    expect(consentPage.text).not.toContain('<img');
    expectPageHeaders(consentPage, 'https://evil-client.test');
  });

  it('answers a failing AccountService with a generic 500 page: no JSON, no internals (I71)', async () => {
    const browser = new TestBrowser(t);
    const form = formOf((await browser.follow(await browser.get(authorizePath(codeRequest(SPA, pkce().challenge))))).text);
    const res = await browser.post(form.action, { csrf: form.csrf, username: 'explode', password: 'x' });
    expect(res.status).toBe(500);
    expectPageHeaders(res);
    expect(res.text).toContain('Something went wrong on our side.');
    expect(res.text).not.toMatch(/secret-internal-detail|database|Error|at /);
  });

  it('sends no CORS headers from the authorization endpoint (H66)', async () => {
    const res = await request(`${t.url}${authorizePath(codeRequest(SPA, pkce().challenge))}`, { headers: { origin: 'https://evil.test' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
