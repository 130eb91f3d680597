import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';
import { inspectDatabase, type DbInspector } from './db-inspector.js';
import {
  ApiController,
  callApi,
  CLIENT_CREDENTIALS,
  expectBasicChallenge,
  expectTokenResponse,
  refusedWithoutSideEffects,
  tokenRequest,
} from './helpers.js';

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64');

/**
 * Parsing of `Authorization: Basic` at the token endpoint (RFC 6749 section 2.3.1 and Appendix B:
 * id and secret are form-urlencoded, then joined with ':' and base64-encoded; RFC 9110 section 11.1:
 * the scheme is case-insensitive). Security checklist 36: malformed headers are 401, never 500.
 */
describe.each(testMatrix())('Basic header parsing on %s/%s', (platform, db) => {
  /** Every character Appendix B encoding exists for: ':' '+' '%' space, and non-ASCII in the secret. */
  const ODD = { id: 'odd:id+with%chars', secret: 'p a:s+s%20w\u00f6rd \u2713 \ud83d\udd11' };
  const PLAIN = { id: 'plain', secret: 'plain-secret-00001' };
  let t: TestApp;
  let store: DbInspector;

  beforeAll(async () => {
    t = await bootTestApp({
      platform,
      db,
      controllers: [ApiController],
      options: {
        accessToken: { format: 'opaque' },
        clients: [
          { clientId: ODD.id, clientSecret: ODD.secret, authMethods: ['client_secret_basic', 'client_secret_post'] },
          { clientId: PLAIN.id, clientSecret: PLAIN.secret },
        ],
      },
    });
    store = await inspectDatabase(t.database);
  });
  afterAll(async () => {
    await store?.close();
    await t?.close();
  });

  it("decodes an id and secret with ':' '+' '%' space and non-ASCII, form-urlencoded then base64 (Appendix B)", async () => {
    const { access_token } = expectTokenResponse(await tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(ODD.id, ODD.secret) }));
    const seen = await callApi(t, '/api/any', access_token);
    expect(seen.body.clientId).toBe(ODD.id);
  });

  it('accepts the same credentials through client_secret_post', async () => {
    expectTokenResponse(await tokenRequest(t, { ...CLIENT_CREDENTIALS, client_id: ODD.id, client_secret: ODD.secret }));
  });

  it('accepts %20 as well as + for a space, and percent-encoded unreserved characters', async () => {
    const encode = (value: string) => encodeURIComponent(value).replace(/[a-z]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
    const header = `Basic ${b64(`${encode(ODD.id)}:${encode(ODD.secret)}`)}`;
    expectTokenResponse(await tokenRequest(t, CLIENT_CREDENTIALS, { authorization: header }));
  });

  it.each(['basic', 'BASIC', 'bAsIc'])('treats the scheme name %s case-insensitively', async (scheme) => {
    const header = basic(PLAIN.id, PLAIN.secret).replace(/^Basic/, scheme);
    expectTokenResponse(await tokenRequest(t, CLIENT_CREDENTIALS, { authorization: header }));
  });

  it('tolerates several spaces after the scheme', async () => {
    const header = basic(PLAIN.id, PLAIN.secret).replace(/^Basic /, 'Basic   ');
    expectTokenResponse(await tokenRequest(t, CLIENT_CREDENTIALS, { authorization: header }));
  });

  it('does not authenticate credentials that skipped the form-urlencoding step', async () => {
    const raw = `Basic ${b64(`${ODD.id}:${ODD.secret}`)}`;
    const res = await refusedWithoutSideEffects(store, () => tokenRequest(t, CLIENT_CREDENTIALS, { authorization: raw }));
    expectBasicChallenge(res, t.issuer);
  });

  it('does not accept the id and secret swapped', async () => {
    const res = await refusedWithoutSideEffects(store, () => tokenRequest(t, CLIENT_CREDENTIALS, { authorization: basic(PLAIN.secret, PLAIN.id) }));
    expectBasicChallenge(res, t.issuer);
  });

  it.each([
    ['no credentials', 'Basic'],
    ['only spaces after the scheme', 'Basic    '],
    ['characters outside base64', 'Basic !!!'],
    ['two tokens', `Basic ${b64('plain')} ${b64('x:y')}`],
    ['base64 without a colon', `Basic ${b64('plain')}`],
    ['an empty id', `Basic ${b64(`:${PLAIN.secret}`)}`],
    ['an empty secret', `Basic ${b64(`${PLAIN.id}:`)}`],
    ['only a colon', `Basic ${b64(':')}`],
    ['padding only', 'Basic ===='],
    ['too much padding', `Basic ${b64(`${PLAIN.id}:${PLAIN.secret}`).replace(/=*$/, '===')}`],
    ['base64url instead of base64', `Basic ${b64('plain:\u00ff\u00fe>?').replace(/\+/g, '-').replace(/\//g, '_')}`],
    ['a truncated percent escape in the secret', `Basic ${b64(`${PLAIN.id}:%E0%A4%A`)}`],
    ['an invalid percent escape in the id', `Basic ${b64(`%zz:${PLAIN.secret}`)}`],
    ['a percent-encoded invalid UTF-8 sequence', `Basic ${b64(`${PLAIN.id}:%C3%28`)}`],
    ['raw bytes that are not UTF-8', `Basic ${b64(Buffer.from([0xff, 0xfe, 0x3a, 0xc3, 0x28]))}`],
    ['a NUL character in the id', `Basic ${b64(`plain%00:${PLAIN.secret}`)}`],
    ['a NUL character in the secret', `Basic ${b64(`${PLAIN.id}:${PLAIN.secret}%00`)}`],
    ['control characters in the id', `Basic ${b64(`pl%0D%0Aain:${PLAIN.secret}`)}`],
    ['a non-ASCII id', `Basic ${b64(`pl%C3%A4in:${PLAIN.secret}`)}`],
    ['an id of 6000 characters', `Basic ${b64(`${'i'.repeat(6000)}:${PLAIN.secret}`)}`],
    ['a secret of 6000 characters', `Basic ${b64(`${PLAIN.id}:${'s'.repeat(6000)}`)}`],
  ])('answers 401 invalid_client with a Basic challenge to %s, never 500', async (_name, header) => {
    const res = await refusedWithoutSideEffects(store, () => tokenRequest(t, CLIENT_CREDENTIALS, { authorization: header }));
    expectBasicChallenge(res, t.issuer);
  });

  it.each([
    ['Bearer', 'Bearer abc'],
    ['Digest', 'Digest username="plain"'],
    ['Basic glued to its credentials', `Basic${b64(`${PLAIN.id}:${PLAIN.secret}`)}`],
    ['an empty header', ''],
  ])('treats an Authorization header of another form (%s) as no credentials: 401', async (_name, header) => {
    const res = await refusedWithoutSideEffects(store, () => tokenRequest(t, CLIENT_CREDENTIALS, { authorization: header }));
    expectBasicChallenge(res, t.issuer);
  });
});
