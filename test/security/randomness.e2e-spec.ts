import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_CODE_GRANT_TYPE } from '../../src/index.js';
import { bootGrantApp, CLIENT_SEEDS, codeTokens, MACHINE, refresh, SPA, WEB, type GrantApp } from '../grants/grant-helpers.js';
import { pkce } from '../support/authorization-flow.js';
import { basic, postForm, request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';

/** Few seeded secrets (each costs a scrypt hash at boot): the clients the tests use, and a public device client. */
const SEEDS = [...CLIENT_SEEDS.filter((seed) => [WEB.id, SPA.id, MACHINE.id].includes(seed.clientId)), { clientId: 'rand-tv', grantTypes: [DEVICE_CODE_GRANT_TYPE], scopes: ['a'] }];
const BASE64URL_256_BITS = /^[A-Za-z0-9_-]{43}$/;
/** An opaque access token: a 22-character row id (time-ordered, not secret), then 256 random bits. */
const OPAQUE_ACCESS_TOKEN = /^[A-Za-z0-9_-]{22}[A-Za-z0-9_-]{43}$/;

/**
 * No duplicates, each matching `shape` (256 bits of base64url unless said), and, for 20 values or more, not in issue
 * order when sorted (for random values that happens with probability 1/20!).
 */
function expectRandom(values: string[], count: number, shape = BASE64URL_256_BITS): void {
  expect(values).toHaveLength(count);
  expect(new Set(values).size).toBe(count);
  for (const value of values) expect(value).toMatch(shape);
  if (count >= 20) expect([...values].sort()).not.toEqual(values);
}

/**
 * Unpredictability of the secrets the interaction suite does not sample (security checklist 23, scaled to a few dozen
 * to a hundred per kind; codes, interaction ids and sessions are in test/interaction/randomness): opaque access tokens, refresh
 * tokens, dynamically registered client secrets and registration access tokens, device codes and pushed request
 * references. Each is 256 bits from the CSPRNG in base64url (RFC 6749 Appendix A VSCHAR), distinct, not sequential.
 */
describe.each(testMatrix())('randomness of tokens and registration secrets on %s/%s', (platform, db) => {
  let app: GrantApp;
  beforeAll(async () => {
    app = await bootGrantApp(platform, db, {
      accessToken: { format: 'opaque' },
      clients: SEEDS,
      registration: { mode: 'open', grantTypes: ['client_credentials', 'authorization_code'], allowedScopes: ['a'], rateLimit: { max: 10_000, window: 900 } },
    });
  });
  afterAll(() => app?.t.close());

  const url = (path: string) => `${app.t.url}${path}`;

  it('issues 100 distinct opaque access tokens with 256 random bits after the row id (checklist 23)', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 100; i += 1) {
      const res = await postForm(url('/oauth/token'), { grant_type: 'client_credentials' }, { authorization: basic(MACHINE.id, MACHINE.secret!) });
      tokens.push(String(res.body.access_token));
    }
    expectRandom(tokens, 100, OPAQUE_ACCESS_TOKEN);
    expectRandom(tokens.map((token) => token.slice(22)), 100);
  });

  it('rotates 100 distinct 256-bit refresh tokens (checklist 23)', async () => {
    let current = (await codeTokens(app.t, WEB)).refresh_token!;
    const tokens = [current];
    for (let i = 1; i < 100; i += 1) {
      const res = await refresh(app.t, WEB, current);
      expect(res.status, res.text).toBe(200);
      current = String(res.body.refresh_token);
      tokens.push(current);
    }
    expectRandom(tokens, 100);
  });

  it('registers clients with distinct 256-bit secrets and registration access tokens, and unguessable ids (checklist 23)', async () => {
    const secrets: string[] = [];
    const registrationTokens: string[] = [];
    const ids: string[] = [];
    // 5 confidential clients (each secret costs a scrypt hash), 20 public ones (a registration token and an id each).
    for (let i = 0; i < 25; i += 1) {
      const metadata = i < 5 ? { grant_types: ['client_credentials'], scope: 'a' } : { token_endpoint_auth_method: 'none', redirect_uris: ['https://rand.test/cb'] };
      const res = await request(url('/oauth/register'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(metadata) });
      expect(res.status, res.text).toBe(201);
      if (i < 5) secrets.push(String(res.body.client_secret));
      registrationTokens.push(String(res.body.registration_access_token));
      ids.push(String(res.body.client_id));
    }
    expectRandom(secrets, 5);
    expectRandom(registrationTokens, 25);
    expectRandom(ids, 25, /^[A-Za-z0-9_-]{24}$/); // 144 bits: the id is public, but assigned, never guessable
  }, 60_000);

  it('hands out 60 distinct 256-bit device codes and pushed request references (checklist 23)', async () => {
    const deviceCodes: string[] = [];
    const userCodes: string[] = [];
    const references: string[] = [];
    for (let i = 0; i < 60; i += 1) {
      const device = await postForm(url('/oauth/device_authorization'), { client_id: 'rand-tv' });
      expect(device.status, device.text).toBe(200);
      deviceCodes.push(String(device.body.device_code));
      userCodes.push(String(device.body.user_code));
      const pushed = await postForm(url('/oauth/par'), {
        client_id: SPA.id, response_type: 'code', redirect_uri: 'https://spa.test/cb', code_challenge: pkce().challenge, code_challenge_method: 'S256',
      });
      expect(pushed.status, pushed.text).toBe(201);
      references.push(String(pushed.body.request_uri).replace('urn:ietf:params:oauth:request_uri:', ''));
    }
    expectRandom(deviceCodes, 60);
    expectRandom(references, 60);
    // User codes are short by design (typed by a person: rate-limited, short-lived); still never repeated here.
    expect(new Set(userCodes).size).toBe(60);
  });
});
