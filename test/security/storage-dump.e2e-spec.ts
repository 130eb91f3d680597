import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_CODE_GRANT_TYPE, SigningKeyEntity, type ClientSeed } from '../../src/index.js';
import { sha256Hex } from '../../src/internal/sha256.js';
import { SecretBox } from '../../src/tokens/secret-box.js';
import { authnestDataSource, MeController } from '../support/app-helpers.js';
import { authorizePath, clientRedirect, formOf, pkce, TestBrowser } from '../support/authorization-flow.js';
import { basic, postForm, type TestResponse } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { InMemoryAccountService, TestAccountsModule } from '../support/test-accounts.js';
import { bootTestApp, TEST_ISSUER, type TestApp } from '../support/test-app.js';
import { DpopKey } from '../rfc9449/support/dpop-key.js';
import { assertionClaims, assertionTokenRequest, signWithSecret, withLogs } from '../rfc7523/support/assertions.js';
import { approveInBrowser, poll, startDevice } from '../rfc8628/support/device-app.js';
import { INITIAL_ACCESS_TOKEN, manage, registerOk } from '../rfc7591/support.js';
import { dumpAllTables, RecordingJar, SecretLedger, sqliteFiles } from './support/secret-scan.js';

/**
 * Storage at rest after a full run (checklist 80, 81, 82, 83, and 75): one app runs every flow it has
 * (client_credentials opaque and JWT, client_secret_jwt, DPoP, dynamic registration and its management, a pushed
 * request, the code flow with login, consent, PKCE and refresh rotation, the device flow, introspection, revocation),
 * remembers every secret it saw (client secrets, the password, codes, verifiers, access/refresh/ID tokens,
 * registration and initial access tokens, device and user codes, cookies, interaction ids, assertions, proofs, the
 * encryption secret and the private signing key), then reads every row of every table through the data source (and,
 * on SQLite, the raw bytes of the file and its WAL): none of them is there, as sent, in base64 or in hex. Nor is any
 * in the app's logs of the run, or in a redirect, but the codes and interaction ids the protocol puts there.
 */
const rand = (bytes = 18) => randomBytes(bytes).toString('base64url');

describe.each(testMatrix())('storage dump after a full run on %s/%s', (platform, db) => {
  const SECRET = `enc-${rand(24)}`;
  const PASSWORD = `pw-${rand()}`;
  const IAT = INITIAL_ACCESS_TOKEN;
  const RP: ClientSeed = {
    clientId: 'dump-rp',
    clientSecret: `rp-${rand()}`,
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: ['openid', 'profile', 'email', 'a'],
    redirectUris: ['https://rp.test/cb'],
  };
  const OPAQUE: ClientSeed = { clientId: 'dump-opaque', clientSecret: `op-${rand()}`, scopes: ['a'], accessTokenFormat: 'opaque' };
  const JWT: ClientSeed = { clientId: 'dump-jwt', clientSecret: `jw-${rand()}`, scopes: ['a'] };
  const HS: ClientSeed = { clientId: 'dump-hs', clientSecret: `hs-${rand(32)}`, authMethods: ['client_secret_jwt'], scopes: ['a'], accessTokenFormat: 'opaque' };
  const INTROSPECTOR: ClientSeed = { clientId: 'dump-rs', clientSecret: `rs-${rand()}`, grantTypes: [], allowIntrospection: true };
  const TV: ClientSeed = { clientId: 'dump-tv', grantTypes: [DEVICE_CODE_GRANT_TYPE, 'refresh_token'], scopes: ['openid', 'profile', 'a'] };
  const secrets = new SecretLedger();
  let t: TestApp;
  /** The code flow's tokens (for the sanity check that the dump does see the token tables). */
  let refreshToken = '';
  /** What the app logged during the run, and every Location a browser was sent to. */
  let logs = '';
  let locations: string[] = [];

  const basicAuth = (client: ClientSeed) => ({ authorization: basic(client.clientId, client.clientSecret!) });
  const token = (form: Record<string, string>, headers: Record<string, string>) => postForm(`${t.url}/oauth/token`, form, headers);
  const ok = (res: TestResponse, status = 200): Record<string, unknown> => {
    expect(res.status, res.text).toBe(status);
    return res.body;
  };
  const keepTokens = (flow: string, body: Record<string, unknown>) => {
    for (const name of ['access_token', 'refresh_token', 'id_token']) if (body[name] !== undefined) secrets.add(`${flow} ${name}`, String(body[name]));
  };

  /** Login and consent through the builtin pages in `browser`, keeping the interaction id; resolves the code. */
  async function loginAndConsent(browser: TestBrowser, params: Record<string, string>): Promise<string> {
    const start = await browser.get(authorizePath(params));
    const interaction = /\/oauth\/interaction\/([A-Za-z0-9_-]+)/.exec(start.headers.get('location') ?? '')?.[1];
    secrets.add('interaction id', interaction);
    const login = formOf((await browser.follow(start)).text);
    const afterLogin = await browser.post(login.action, { csrf: login.csrf, username: 'dana', password: PASSWORD });
    const consent = formOf((await browser.follow(afterLogin)).text);
    const done = await browser.post(consent.action, { csrf: consent.csrf, decision: 'approve' });
    return clientRedirect(done, RP.redirectUris![0]!).get('code')!;
  }

  async function codeFlow(jar: RecordingJar): Promise<void> {
    const browser = new TestBrowser(t, jar);
    const { verifier, challenge } = pkce();
    secrets.add('code_verifier', verifier);
    const params = { response_type: 'code', client_id: RP.clientId, redirect_uri: RP.redirectUris![0]!, scope: 'openid profile a', state: 's1', nonce: rand(), code_challenge: challenge, code_challenge_method: 'S256' };
    const code = await loginAndConsent(browser, params);
    secrets.add('authorization code', code);
    const redeemed = ok(await token({ grant_type: 'authorization_code', code, redirect_uri: RP.redirectUris![0]!, code_verifier: verifier }, basicAuth(RP)));
    keepTokens('code flow', redeemed);
    const refreshed = ok(await token({ grant_type: 'refresh_token', refresh_token: String(redeemed.refresh_token) }, basicAuth(RP)));
    keepTokens('refreshed', refreshed);
    refreshToken = String(refreshed.refresh_token);
    // A pushed request (RFC 9126) used with the session: consent is remembered, the code comes at once.
    const second = pkce();
    secrets.add('second code_verifier', second.verifier);
    const pushed = ok(await postForm(`${t.url}/oauth/par`, { ...params, code_challenge: second.challenge, state: 's2', nonce: rand() }, basicAuth(RP)), 201);
    secrets.add('request_uri reference', String(pushed.request_uri).split(':').pop());
    const silent = await browser.get(authorizePath({ client_id: RP.clientId, request_uri: String(pushed.request_uri) }));
    const code2 = clientRedirect(silent, RP.redirectUris![0]!).get('code')!;
    secrets.add('second authorization code', code2);
    keepTokens('pushed flow', ok(await token({ grant_type: 'authorization_code', code: code2, redirect_uri: RP.redirectUris![0]!, code_verifier: second.verifier }, basicAuth(RP))));
    // Revocation of the rotated-out family's latest access token, introspection of the refresh token.
    ok(await postForm(`${t.url}/oauth/revoke`, { token: String(refreshed.access_token) }, basicAuth(RP)));
    expect(ok(await postForm(`${t.url}/oauth/introspect`, { token: refreshToken }, basicAuth(INTROSPECTOR))).active).toBe(true);
  }

  async function deviceFlow(jar: RecordingJar): Promise<void> {
    const grant = await startDevice(t, TV, { scope: 'openid a' });
    secrets.add('device_code', grant.deviceCode);
    secrets.add('user_code', grant.userCode);
    secrets.add('user_code without dash', grant.userCode.replace('-', ''));
    expect((await approveInBrowser(new TestBrowser(t, jar), grant.userCode, { username: 'dana', password: PASSWORD })).status).toBe(303);
    keepTokens('device flow', ok(await poll(t, TV, grant.deviceCode)));
  }

  async function machineFlows(): Promise<void> {
    for (const client of [OPAQUE, JWT]) {
      const issued = ok(await token({ grant_type: 'client_credentials', scope: 'a' }, basicAuth(client)));
      keepTokens(`${client.clientId} client_credentials`, issued);
      ok(await postForm(`${t.url}/oauth/introspect`, { token: String(issued.access_token) }, basicAuth(INTROSPECTOR)));
    }
    const assertion = await signWithSecret(HS.clientSecret!, assertionClaims(HS.clientId, Date.now()));
    secrets.add('client_secret_jwt assertion', assertion);
    keepTokens('client_secret_jwt', ok(await assertionTokenRequest(t, assertion)));
    const key = await DpopKey.generate('ES256');
    secrets.add('DPoP private key d', key.privateJwk.d);
    const proof = await key.proof('POST', `${TEST_ISSUER}/oauth/token`);
    secrets.add('DPoP proof', proof);
    const bound = ok(await token({ grant_type: 'client_credentials', scope: 'a' }, { ...basicAuth(OPAQUE), dpop: proof }));
    expect(bound.token_type).toBe('DPoP');
    keepTokens('DPoP', bound);
  }

  async function registration(): Promise<void> {
    const created = await registerOk(t, { grant_types: ['client_credentials'], scope: 'a', client_name: 'Dumped' });
    secrets.add('registered client_secret', created.secret);
    secrets.add('registration access token', created.token);
    const updated = ok(await manage(created.uri, 'PUT', created.token, { client_id: created.clientId, client_secret: created.secret, grant_types: ['client_credentials'], scope: 'a' }));
    secrets.add('rotated registration access token', String(updated.registration_access_token));
    const issued = ok(await token({ grant_type: 'client_credentials' }, { authorization: basic(created.clientId, created.secret!) }));
    keepTokens('registered client', issued);
    ok(await postForm(`${t.url}/oauth/revoke`, { token: String(issued.access_token) }, { authorization: basic(created.clientId, created.secret!) }));
  }

  beforeAll(async () => {
    t = await bootTestApp({
      platform,
      db,
      imports: [TestAccountsModule],
      controllers: [MeController],
      options: {
        signing: { encryptionSecret: SECRET },
        scopes: ['openid', 'profile', 'email', 'a'],
        clients: [RP, OPAQUE, JWT, HS, INTROSPECTOR, TV],
        dpop: {},
        registration: { mode: 'initial-access-token', initialAccessTokens: [IAT], grantTypes: ['client_credentials'], rateLimit: { max: 1000, window: 900 } },
      },
    });
    t.app.get(InMemoryAccountService).add('user-dana', { username: 'dana', password: PASSWORD });
    for (const [label, value] of [['encryption secret', SECRET], ['password', PASSWORD], ['initial access token', IAT]] as const) secrets.add(label, value);
    for (const client of [RP, OPAQUE, JWT, HS, INTROSPECTOR]) secrets.add(`${client.clientId} secret`, client.clientSecret);
    const jar = new RecordingJar();
    logs = await withLogs(async (logger) => {
      await machineFlows();
      await codeFlow(jar);
      await deviceFlow(jar);
      await registration();
      return logger.text;
    });
    locations = jar.locations;
    // Every cookie any response set: session, interaction binding, device page (token.mac each).
    for (const { name, value } of jar.values) secrets.add(`cookie ${name}`, value);
    expect(jar.values.some(({ name }) => name.includes('session'))).toBe(true);
    // The private signing key, opened with the secret: its private members must be nowhere in clear.
    const keys = await authnestDataSource(t.app).getRepository(SigningKeyEntity).find();
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const jwk = JSON.parse(new SecretBox(SECRET).open(key.privateJwkEncrypted)) as Record<string, string>;
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) if (jwk[member]) secrets.add(`signing key ${key.kid} ${member}`, jwk[member]);
    }
  }, 90_000);
  afterAll(() => t?.close());

  it('keeps none of the run’s secrets in any row of any table, in clear, base64 or hex (checklist 80-83)', async () => {
    expect(secrets.all().length).toBeGreaterThan(40);
    const dump = await dumpAllTables(authnestDataSource(t.app), t.database);
    const text = [...dump.values()].join('\n');
    // The dump does see the data: the token tables hold the hashes of what was issued, the registered client its row.
    expect(text).toContain(sha256Hex(refreshToken));
    for (const table of ['authnest_access_tokens', 'authnest_refresh_tokens', 'authnest_authorization_codes', 'authnest_device_codes', 'authnest_sessions', 'authnest_clients', 'authnest_pushed_requests', 'authnest_nonces']) {
      expect(dump.get(table), table).toMatch(/^\[\{/);
    }
    const found = [...dump].flatMap(([table, rows]) => secrets.foundIn(rows).map((label) => `${label} in ${table}`));
    expect(found).toEqual([]);
  });

  it.runIf(db === 'sqlite')('keeps none of them in the raw bytes of the SQLite file and its write-ahead log', async () => {
    const files = sqliteFiles(t.database);
    expect([...files.keys()].some((file) => file.endsWith('-wal'))).toBe(true);
    // Sanity: the scan finds what is there (the hash of the refresh token, as hex text).
    expect([...files.values()].some((bytes) => bytes.includes(Buffer.from(sha256Hex(refreshToken))))).toBe(true);
    const found = [...files].flatMap(([file, bytes]) => secrets.foundInBytes(bytes).map((label) => `${label} in ${file.split('/').pop()}`));
    expect(found).toEqual([]);
  });

  it('writes none of them to the logs, and puts none in a redirect but the codes it delivers (checklist 75)', () => {
    expect(logs).toContain('Client registered'); // the capture works (the registration is logged, by client id)
    expect(secrets.foundIn(logs)).toEqual([]);
    expect(locations.length).toBeGreaterThan(5);
    // By design in URLs: codes go to the client's redirect URI, the interaction id (its cookie's value) names the login page.
    const inUrls = secrets.foundIn(locations.join('\n')).filter((label) => !/authorization code|interaction/.test(label));
    expect(inUrls).toEqual([]);
  });
});
