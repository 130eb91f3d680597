import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, clientRedirect, pkce, type TestBrowser } from '../support/authorization-flow.js';
import { request, type TestResponse } from '../support/http.js';
import { bootFlowApp, codeRequest, FIRST, signedInBrowser } from '../support/flow-app.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';

/** A first-party client whose registered URI has a query and a path that needs escaping in HTML. */
const POSTED = { ...FIRST, clientId: 'posted', redirectUris: ['https://posted.test/cb?a=1&b="x"'] };

/** The hidden inputs of a form_post page, unescaped. */
function hiddenInputs(html: string): Record<string, string> {
  const unescape = (value: string) => value.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)));
  const inputs: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) inputs[unescape(match[1]!)] = unescape(match[2]!);
  return inputs;
}

function expectFormPostPage(res: TestResponse, action: string): void {
  expect(res.status).toBe(200);
  expect(res.headers.get('location')).toBeNull();
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.text).toContain(`<form method="post" action="${action.replace(/&/g, '&#38;').replace(/"/g, '&#34;')}">`);
  // Works without JavaScript: a visible submit button inside the form.
  expect(res.text).toMatch(/<button type="submit">Continue<\/button><\/form>/);
  const csp = res.headers.get('content-security-policy')!;
  expect(csp).toContain(`form-action 'self' ${new URL(action).origin}`);
  expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
  expect(csp).not.toContain('unsafe-inline');
}

/**
 * Response modes: `query` keeps the registered query and appends; `form_post` is an escaped, self-submitting
 * page that also works without JavaScript (OAuth 2.0 Form Post Response Mode; RFC 9207 `iss` in both;
 * checklist A3, I72).
 */
describe.each(testMatrix())('response modes on %s/%s', (platform, db) => {
  let t: TestApp;
  let alice: TestBrowser;
  beforeAll(async () => {
    t = await bootFlowApp(platform, db, { clients: [FIRST, POSTED] });
    alice = await signedInBrowser(t);
  });
  afterAll(() => t?.close());

  it('query: appends code, state and iss to the registered query, once', async () => {
    const res = await alice.get(authorizePath(codeRequest(POSTED, pkce().challenge)));
    const location = res.headers.get('location')!;
    expect(location.startsWith('https://posted.test/cb?a=1&b="x"&code=')).toBe(true);
    const params = clientRedirect(res, 'https://posted.test/cb?a=1&b="x"');
    expect(params.getAll('code')).toHaveLength(1);
    expect(params.get('iss')).toBe(t.issuer);
  });

  it('form_post: posts code, state and iss to the exact redirect URI, every value escaped', async () => {
    const state = '"><script>alert(1)</script><img src=x onerror=alert(2)>{{7*7}}';
    const res = await alice.get(authorizePath(codeRequest(POSTED, pkce().challenge, { response_mode: 'form_post', state })));
    expectFormPostPage(res, 'https://posted.test/cb?a=1&b="x"');
    expect(res.text).not.toContain('<script>alert');
    expect(res.text).not.toContain('<img');
    const inputs = hiddenInputs(res.text);
    expect(Object.keys(inputs)).toEqual(['code', 'state', 'iss']);
    expect(inputs.state).toBe(state);
    expect(inputs.iss).toBe(t.issuer);
    expect(inputs.code).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('form_post: errors after validation are posted too, with error, description, state and iss', async () => {
    const res = await request(`${t.url}${authorizePath(codeRequest(POSTED, pkce().challenge, { response_mode: 'form_post', scope: 'unknown' }))}`);
    expectFormPostPage(res, 'https://posted.test/cb?a=1&b="x"');
    const inputs = hiddenInputs(res.text);
    expect(inputs).toMatchObject({ error: 'invalid_scope', state: 'st-123', iss: t.issuer });
    expect(inputs.error_description).toBeTruthy();
  });

  it('form_post: the login page of an interaction already allows the client origin as a form target', async () => {
    const res = await request(`${t.url}${authorizePath(codeRequest(POSTED, pkce().challenge, { response_mode: 'form_post' }))}`);
    expect(res.status).toBe(303); // no session: an interaction starts
    const page = await request(`${t.url}${new URL(res.headers.get('location')!).pathname}`, {
      headers: { cookie: res.headers.getSetCookie()[0]!.split(';')[0]! },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self' https://posted.test");
  });

  it('advertises the authorization endpoint, code, both response modes and iss support (RFC 8414, RFC 9207)', async () => {
    const { body } = await request(`${t.url}/.well-known/oauth-authorization-server`);
    expect(body).toMatchObject({
      authorization_endpoint: `${t.issuer}/oauth/authorize`,
      response_types_supported: ['code'],
      response_modes_supported: ['query', 'form_post'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
    const served = await request(`${t.url}${new URL(String(body.authorization_endpoint)).pathname}`);
    expect(served.status).toBe(400); // served there: a request without client_id is an error page
    expect(served.headers.get('content-type')).toMatch(/^text\/html/);
  });
});
