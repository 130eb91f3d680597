import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthConfigError } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock, type TestApp } from '../support/test-app.js';
import { bootRegistrationApp, clientCount, expectBearer401, expectRegistrationError, INITIAL_ACCESS_TOKEN, manage, register, registerOk } from './support.js';

const METADATA = { grant_types: ['client_credentials'] };
const SECOND_TOKEN = 'second-initial-access-token-0123456789';

/**
 * Who may register (RFC 7591 section 3: initial access tokens as RFC 6750 Bearer tokens; Authlib 190 with the RFC
 * answer; checklist 95, 96, 79): the modes, the rate limit, and how long a registration access token lives.
 */
describe.each(testMatrix())('registration access control on %s/%s', (platform, db) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootRegistrationApp(platform, db, {
      registration: { mode: 'initial-access-token', initialAccessTokens: [INITIAL_ACCESS_TOKEN, SECOND_TOKEN], grantTypes: ['client_credentials'], allowedScopes: ['posts:read'] },
    });
  });
  afterAll(() => t?.close());

  it('needs an initial access token: none is a bare 401 challenge, a wrong or tampered one 401 invalid_token', async () => {
    const before = await clientCount(t);
    expectBearer401(await register(t, METADATA, {}), 'missing');
    expectBearer401(await register(t, { ...METADATA, access_token: INITIAL_ACCESS_TOKEN, initial_access_token: INITIAL_ACCESS_TOKEN }, {}), 'missing');
    expectBearer401(await register(t, METADATA, { authorization: `Basic ${Buffer.from(`x:${INITIAL_ACCESS_TOKEN}`).toString('base64')}` }), 'missing');
    for (const token of ['wrong-token-0123456789abcdefghijklmnop', `${INITIAL_ACCESS_TOKEN}x`, INITIAL_ACCESS_TOKEN.slice(0, -1), INITIAL_ACCESS_TOKEN.toUpperCase()]) {
      expectBearer401(await register(t, METADATA, { authorization: `Bearer ${token}` }), 'invalid');
    }
    const malformed = await register(t, METADATA, { authorization: 'Bearer a b' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBe('invalid_request');
    expect(await clientCount(t)).toBe(before);
  });

  it('accepts every configured initial access token, and checks the token before the body', async () => {
    for (const token of [INITIAL_ACCESS_TOKEN, SECOND_TOKEN]) {
      expect((await register(t, METADATA, { authorization: `Bearer ${token}` })).status).toBe(201);
    }
    expectBearer401(await register(t, 'not json', { 'content-type': 'text/plain' }), 'missing');
  });

  it('holds registered clients to the allowlists: privileged scopes and other grants are refused', async () => {
    expectRegistrationError(await register(t, { ...METADATA, scope: 'profile' }), 400, 'invalid_client_metadata');
    expectRegistrationError(await register(t, { redirect_uris: ['https://rp.example.com/cb'] }), 400, 'invalid_client_metadata');
    const created = await registerOk(t, { ...METADATA, scope: 'posts:read' });
    expect(created.body.scope).toBe('posts:read');
  });
});

describe.each(testMatrix())('open registration, its rate limit and token lifetime on %s/%s', (platform, db) => {
  let t: TestApp;
  const clock = new FakeClock();

  beforeAll(async () => {
    t = await bootRegistrationApp(platform, db, {
      clock,
      registration: { mode: 'open', rateLimit: { max: 3, window: 600 }, registrationAccessTokenTtl: 3600, defaultScopes: ['profile'] },
    });
  });
  afterAll(() => t?.close());

  it('registers without a token, ignores one sent, and gives the default scopes', async () => {
    const res = await register(t, { redirect_uris: ['https://rp.example.com/cb'] }, {});
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ scope: 'profile', grant_types: ['authorization_code'] });
    expect((await register(t, { redirect_uris: ['https://rp.example.com/cb'] }, { authorization: 'Bearer whatever' })).status).toBe(201);
  });

  it('answers 429 with Retry-After past the per-address limit, counted in the database, until the window passes', async () => {
    const third = await register(t, 'not json', { 'content-type': 'text/plain' });
    expect(third.status).toBe(415);
    const limited = await register(t, { redirect_uris: ['https://rp.example.com/cb'] }, {});
    expectRegistrationError(limited, 429, 'temporarily_unavailable');
    expect(limited.headers.get('retry-after')).toBe('600');
    clock.advance(601);
    expect((await register(t, { redirect_uris: ['https://rp.example.com/cb'] }, {})).status).toBe(201);
  });

  it('lets a registration access token expire after registrationAccessTokenTtl; an update gives a fresh one', async () => {
    const created = await registerOk(t, { redirect_uris: ['https://rp.example.com/cb'] });
    clock.advance(3000);
    const updated = await manage(created.uri, 'PUT', created.token, { client_id: created.clientId, redirect_uris: ['https://rp.example.com/cb2'] });
    expect(updated.status, updated.text).toBe(200);
    const fresh = String(updated.body.registration_access_token);
    clock.advance(3000);
    expect((await manage(created.uri, 'GET', fresh)).status).toBe(200);
    clock.advance(601);
    expectBearer401(await manage(created.uri, 'GET', fresh), 'invalid');
  });
});

describe.each(testMatrix())('registration options checked at boot on %s/%s', (platform, db) => {
  it('refuses a grant type the server does not have', async () => {
    const failure = await bootRegistrationApp(platform, db, { registration: { mode: 'open', grantTypes: ['authorization_code', 'urn:example:nope'] } }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthConfigError);
    expect((failure as AuthConfigError).problems).toEqual(["registration.grantTypes: 'urn:example:nope' is not a supported grant type"]);
  });

  it('refuses initial-access-token mode without tokens, and open client_credentials without an explicit scope allowlist', async () => {
    await expect(bootRegistrationApp(platform, db, { registration: { mode: 'initial-access-token' } })).rejects.toThrow(/registration\.initialAccessTokens: required/);
    await expect(bootRegistrationApp(platform, db, { registration: { mode: 'open', grantTypes: ['client_credentials'] } })).rejects.toThrow(
      /registration\.allowedScopes: required when mode 'open' allows client_credentials/,
    );
  });
});
