import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSeed } from '../../src/index.js';
import { request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp, OIDC_SCOPES, verifyWithJwks, type OidcLogin } from '../support/oidc-app.js';
import type { TestApp } from '../support/test-app.js';
import {
  BackchannelReceiver, expectRefused, expectSessionCleared, isConfirmationPage, LOGOUT_RP, logoutPath, signIn, silentAuthorize, ticketForm,
  type ReceiverBehaviour,
} from './support/logout-helpers.js';

const EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** A confidential RP `name` whose back-channel logout URI is the receiver's `/bc/<name>` answering `behaviour`. */
function bcClient(receiver: BackchannelReceiver, name: string, behaviour: ReceiverBehaviour, extra: Partial<ClientSeed> = {}): ClientSeed {
  return {
    clientId: `bc-${name}`,
    clientSecret: `bc-${name}-secret-0001`,
    name: `BC ${name}`,
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: OIDC_SCOPES,
    redirectUris: [`https://${name}.test/cb`],
    postLogoutRedirectUris: [`https://${name}.test/bye`],
    backchannelLogoutUri: receiver.uri(`/bc/${name}`, behaviour),
    ...extra,
  };
}

/**
 * Back-channel logout (OpenID Connect Back-Channel Logout 1.0 sections 2.4-2.8): when a session ends, each client
 * that took part in it and registered a `backchannelLogoutUri` receives exactly one POST,
 * `application/x-www-form-urlencoded`, with only `logout_token`: a JWT signed with a key of the JWKS, header `typ:
 * logout+jwt` and `kid`, `iss`, `aud` = client_id, `iat`, `exp` <= iat + 120, a unique `jti`, `events` with exactly
 * the back-channel logout event and `{}`, `sub` as the client's ID token has it (pairwise too), its `sid`, and no
 * `nonce` (2.4). Clients outside the session, or without a URI, get nothing. A receiver answering 500, hanging
 * (past `oidc.backchannelLogoutTimeoutMs`) or redirecting neither breaks nor blocks the logout, and redirects are
 * not followed (2.5, 2.8; checklist 90). The SSRF battery (checklist 89) is out of scope: URIs are admin-seeded.
 */
describe.each(testMatrix())('back-channel logout on %s/%s', (platform, db) => {
  let t: TestApp;
  let receiver: BackchannelReceiver;
  let clients: Record<'a' | 'pairwise' | 'idle' | 'error' | 'hang' | 'redirect', ClientSeed>;

  beforeAll(async () => {
    receiver = await BackchannelReceiver.start();
    clients = {
      a: bcClient(receiver, 'a', 'ok'),
      pairwise: bcClient(receiver, 'pairwise', 'no-content', { subjectType: 'pairwise' }),
      idle: bcClient(receiver, 'idle', 'ok'),
      error: bcClient(receiver, 'error', 'error'),
      hang: bcClient(receiver, 'hang', 'hang'),
      redirect: bcClient(receiver, 'redirect', 'redirect'),
    };
    t = await bootOidcApp(platform, db, { clients: [LOGOUT_RP, ...Object.values(clients)], options: { oidc: { backchannelLogoutTimeoutMs: 300 } } });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  /** Signs alice in to each client in one browser session; resolves the logins by client id. */
  async function sessionWith(...seeds: ClientSeed[]): Promise<Map<string, OidcLogin>> {
    const logins = new Map<string, OidcLogin>();
    for (const seed of seeds) logins.set(seed.clientId, await signIn(t, seed, { browser: logins.values().next().value?.browser }));
    return logins;
  }

  /** The requests the receiver got while `action` ran, by path. */
  async function receivedDuring(action: () => Promise<void>): Promise<Record<string, { method: string; contentType?: string; body: string }[]>> {
    const before = receiver.requests.length;
    await action();
    const during: Record<string, { method: string; contentType?: string; body: string }[]> = {};
    for (const { path, ...rest } of receiver.requests.slice(before)) (during[path] ??= []).push(rest);
    return during;
  }

  /** Verifies one received logout token for `seed` against what the client's ID token said. */
  async function expectLogoutToken(body: string, seed: ClientSeed, login: OidcLogin): Promise<string> {
    const form = new URLSearchParams(body);
    expect([...form.keys()]).toEqual(['logout_token']);
    const token = form.get('logout_token')!;
    const header = decodeProtectedHeader(token);
    const jwks = (await request(`${t.url}/oauth/jwks`)).body as { keys: { kid: string; alg: string }[] };
    expect(header.typ).toBe('logout+jwt');
    expect(jwks.keys.find((key) => key.kid === header.kid)?.alg).toBe(header.alg);
    const payload = await verifyWithJwks(t, token);
    expect(Object.keys(payload).sort()).toEqual(['aud', 'events', 'exp', 'iat', 'iss', 'jti', 'sid', 'sub']);
    expect(payload.iss).toBe(t.issuer);
    expect([payload.aud].flat()).toEqual([seed.clientId]);
    expect(payload.sub).toBe(login.claims.sub);
    expect(payload.sid).toBe(login.claims.sid);
    expect(payload.events).toEqual({ [EVENT]: {} });
    expect(payload.nonce).toBeUndefined();
    expect(payload.exp! - payload.iat!).toBeGreaterThan(0);
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(120);
    expect(payload.jti).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    return payload.jti!;
  }

  it('sends one logout token to each client of the session with a URI, none to the others (2.4-2.6)', async () => {
    const logins = await sessionWith(clients.a, clients.pairwise, LOGOUT_RP);
    const elsewhere = await signIn(t, clients.idle); // alice's other session
    const a = logins.get(clients.a.clientId)!;
    expect(logins.get(clients.pairwise.clientId)!.claims.sub).not.toBe(a.claims.sub);

    let location: string | null = null;
    const during = await receivedDuring(async () => {
      const res = await a.browser.get(logoutPath({ id_token_hint: a.idToken, post_logout_redirect_uri: 'https://a.test/bye', state: 's' }));
      expectSessionCleared(res);
      location = res.headers.get('location');
    });
    expect(location).toBe('https://a.test/bye?state=s');
    expect(Object.keys(during).sort()).toEqual(['/bc/a', '/bc/pairwise']);
    const jtis: string[] = [];
    for (const seed of [clients.a, clients.pairwise]) {
      const posts = during[`/bc/${seed.clientId.slice(3)}`]!;
      expect(posts).toHaveLength(1);
      expect(posts[0]!.method).toBe('POST');
      expect(posts[0]!.contentType).toBe('application/x-www-form-urlencoded');
      jtis.push(await expectLogoutToken(posts[0]!.body, seed, logins.get(seed.clientId)!));
    }
    expect(new Set(jtis).size).toBe(2);
    expect(await silentAuthorize(elsewhere.browser, clients.idle)).toBe('code');
  });

  it('notifies after a logout confirmed on the confirmation page too', async () => {
    const logins = await sessionWith(clients.a);
    const a = logins.get(clients.a.clientId)!;
    const during = await receivedDuring(async () => {
      const page = await a.browser.get(logoutPath({ client_id: clients.a.clientId }));
      expect(isConfirmationPage(page), page.text).toBe(true);
      const { action, ticket } = ticketForm(page.text);
      expectSessionCleared(await a.browser.post(action, { ticket, decision: 'logout' }));
    });
    expect(Object.keys(during)).toEqual(['/bc/a']);
    expect(during['/bc/a']).toHaveLength(1);
    await expectLogoutToken(during['/bc/a']![0]!.body, clients.a, a);
  });

  it('sends nothing when nothing ends: a refused request, a confirmation page, "Stay signed in", no session', async () => {
    const logins = await sessionWith(clients.a);
    const a = logins.get(clients.a.clientId)!;
    const during = await receivedDuring(async () => {
      expectRefused(await a.browser.get(logoutPath({ id_token_hint: a.idToken, post_logout_redirect_uri: 'https://evil.test/' })));
      const page = await a.browser.get(logoutPath());
      const { action, ticket } = ticketForm(page.text);
      expect((await a.browser.post(action, { ticket, decision: 'stay' })).status).toBe(200);
      const stranger = await request(`${t.url}${logoutPath({ id_token_hint: a.idToken })}`);
      expect(stranger.status).toBe(200);
    });
    expect(during).toEqual({});
    expect(await silentAuthorize(a.browser, clients.a)).toBe('code');
  });

  it('a receiver answering 500, hanging or redirecting neither breaks nor blocks the logout; redirects are not followed (2.8)', async () => {
    const logins = await sessionWith(clients.error, clients.hang, clients.redirect, clients.a);
    const a = logins.get(clients.a.clientId)!;
    let location: string | null = null;
    const during = await receivedDuring(async () => {
      const res = await a.browser.get(logoutPath({ id_token_hint: a.idToken, post_logout_redirect_uri: 'https://a.test/bye', state: 'f' }));
      expectSessionCleared(res);
      location = res.headers.get('location');
    });
    expect(location).toBe('https://a.test/bye?state=f');
    expect(Object.keys(during).sort()).toEqual(['/bc/a', '/bc/error', '/bc/hang', '/bc/redirect']);
    for (const path of Object.keys(during)) expect(during[path], path).toHaveLength(1);
    expect(receiver.received('/redirect-target')).toEqual([]);
    expect(await silentAuthorize(a.browser, clients.a)).toBe('login_required');
    // The server is not stuck: the next logout notifies again.
    const next = (await sessionWith(clients.a)).get(clients.a.clientId)!;
    const after = await receivedDuring(async () => expectSessionCleared(await next.browser.get(logoutPath({ id_token_hint: next.idToken }))));
    expect(Object.keys(after)).toEqual(['/bc/a']);
  });

  it('refuses a received logout token as id_token_hint (it is not an ID token)', async () => {
    const first = (await sessionWith(clients.a)).get(clients.a.clientId)!;
    const during = await receivedDuring(async () => void (await first.browser.get(logoutPath({ id_token_hint: first.idToken }))));
    const logoutToken = new URLSearchParams(during['/bc/a']![0]!.body).get('logout_token')!;
    const alice = (await sessionWith(clients.a)).get(clients.a.clientId)!;
    const refused = await receivedDuring(async () => {
      expectRefused(await alice.browser.get(logoutPath({ id_token_hint: logoutToken, post_logout_redirect_uri: 'https://a.test/bye' })), 'The id_token_hint is not an ID token of this server.');
    });
    expect(refused).toEqual({});
    expect(await silentAuthorize(alice.browser, clients.a)).toBe('code');
  });
});
