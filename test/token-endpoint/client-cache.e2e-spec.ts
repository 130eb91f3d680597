import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEntity, ClientService } from '../../src/index.js';
import { authnestDataSource } from '../support/app-helpers.js';
import { basic } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, FakeClock, type TestApp } from '../support/test-app.js';
import { CLIENT_CREDENTIALS, expectOAuthError, expectTokenResponse, tokenRequest } from './helpers.js';

/**
 * `clientCacheTtl`: a client read to authenticate it is reused for that long. Changes through this instance apply
 * at once; a change behind its back (another instance, the database itself) applies once the entry has expired.
 */
describe.each(testMatrix())('clientCacheTtl on %s/%s', (platform, db) => {
  const CLIENT = { id: 'cached-svc', secret: 'cached-svc-secret-01' };
  const clock = new FakeClock();
  let t: TestApp;
  const request = () => tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(CLIENT.id, CLIENT.secret) });
  const introspect = async () => {
    const token = expectTokenResponse(await request()).access_token;
    const res = await fetch(`${t.url}/oauth/introspect`, { method: 'POST', headers: { authorization: basic(CLIENT.id, CLIENT.secret), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }).toString() });
    return (await res.json()) as { active: boolean };
  };

  beforeAll(async () => {
    t = await bootTestApp({
      platform,
      db,
      clock,
      options: {
        accessToken: { format: 'opaque' },
        clientCacheTtl: 60,
        clients: [{ clientId: CLIENT.id, clientSecret: CLIENT.secret, allowIntrospection: true }],
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('applies ClientService changes at once', async () => {
    const clients = t.app.get(ClientService);
    expectTokenResponse(await request());
    await clients.setDisabled(CLIENT.id, true);
    try {
      expectOAuthError(await request(), 401, 'invalid_client');
    } finally {
      await clients.setDisabled(CLIENT.id, false);
    }
    expectTokenResponse(await request());
    expect((await introspect()).active).toBe(true);
  });

  it('applies a change made behind its back after at most clientCacheTtl seconds', async () => {
    expectTokenResponse(await request());
    await authnestDataSource(t.app).getRepository(ClientEntity).update({ clientId: CLIENT.id }, { disabled: true });
    try {
      expectTokenResponse(await request());
      clock.advance(61);
      expectOAuthError(await request(), 401, 'invalid_client');
      // Not remembered while disabled either way: re-enabling it in the database shows once read again.
    } finally {
      await authnestDataSource(t.app).getRepository(ClientEntity).update({ clientId: CLIENT.id }, { disabled: false });
    }
    clock.advance(61);
    expectTokenResponse(await request());
  });

  it('never remembers an unknown client', async () => {
    const later = 'cached-later';
    const asLater = () => tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(later, CLIENT.secret) });
    expectOAuthError(await asLater(), 401, 'invalid_client');
    // Created behind this instance's back (another instance, say): usable at once, as nothing was remembered.
    const repository = authnestDataSource(t.app).getRepository(ClientEntity);
    await repository.insert({ ...(await repository.findOneByOrFail({ clientId: CLIENT.id })), clientId: later } as never);
    expectTokenResponse(await asLater());
  });
});
