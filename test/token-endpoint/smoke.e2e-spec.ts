import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMatrix } from '../support/matrix.js';
import { basic, postForm, request } from '../support/http.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';

describe.each(testMatrix())('smoke on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({
      platform,
      db,
      options: { scopes: ['a', 'b'], clients: [{ clientId: 'c1', clientSecret: 'secret-123456', scopes: ['a'] }] },
    });
  });
  afterAll(() => t?.close());

  it('issues a token', async () => {
    const res = await postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials', scope: 'a' }, { authorization: basic('c1', 'secret-123456') });
    expect(res.status, res.text).toBe(200);
    expect(res.body.token_type).toBe('Bearer');
    const meta = await request(`${t.url}/.well-known/oauth-authorization-server`);
    expect(meta.body.issuer).toBe('http://127.0.0.1');
  });
});
