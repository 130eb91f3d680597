import { decodeJwt } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codeTokens, introspect, WEB } from '../grants/grant-helpers.js';
import { request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { callApi } from '../token-endpoint/helpers.js';
import { bootExchangeApp, clientToken, exchange, exchangeForm, expectExchanged, GATEWAY, GRANT, OPAQUE, type ExchangeApp } from './support.js';

const API = 'https://api.example.com';

/**
 * Token exchange (RFC 8693 sections 2 and 4): a service trades a user's access token (and its own token as actor)
 * for a new access token of that user, as the host's TokenExchangePolicy decides. Impersonation keeps the subject,
 * delegation adds `act` (nested along a chain), the policy narrows scopes, audience and lifetime, `resource` goes
 * through the resource indicators, and the exchanged token works at a guarded route and in introspection.
 */
describe.each(testMatrix())('token exchange (RFC 8693) on %s/%s', (platform, db) => {
  let x: ExchangeApp;

  beforeAll(async () => {
    x = await bootExchangeApp(platform, db, { resources: [{ uri: API, scopes: ['b'] }] });
  });
  afterAll(() => x?.t.close());
  beforeEach(() => x.policy.reset());

  const aliceToken = async (scopes = ['a', 'b']) => (await codeTokens(x.t, WEB, { scopes })).access_token;

  it("impersonation: a token of the subject's sub for the calling client, usable at a guarded route", async () => {
    const subject = await aliceToken();
    const body = expectExchanged(await exchange(x.t, GATEWAY, exchangeForm(subject)));
    expect(body.scope).toBe('a b');
    expect(body.expires_in).toBe(600);
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({ sub: 'alice', client_id: GATEWAY.id, scope: 'a b', aud: 'http://127.0.0.1' });
    expect(claims).not.toHaveProperty('act');
    const api = await callApi(x.t, '/api/any', body.access_token);
    expect(api.status, api.text).toBe(200);
    expect(api.body).toMatchObject({ sub: 'alice', clientId: GATEWAY.id, scopes: ['a', 'b'] });
  });

  it('shows the policy the verified subject token, the bounded scopes and the default audience', async () => {
    const subject = await aliceToken(['a', 'b', 'c']);
    x.policy.decideWith = () => ({ audience: 'urn:example:billing' });
    expectExchanged(await exchange(x.t, GATEWAY, exchangeForm(subject, undefined, { audience: 'billing' })));
    const [seen] = x.policy.seen;
    expect(seen).toMatchObject({
      client: { clientId: GATEWAY.id },
      subject: { sub: 'alice', clientId: WEB.id, scopes: ['a', 'b', 'c'], format: 'jwt', tokenType: 'urn:ietf:params:oauth:token-type:access_token' },
      scopes: ['a', 'b'],
      audience: 'billing',
      defaultAudience: 'http://127.0.0.1',
      requestedTokenType: 'urn:ietf:params:oauth:token-type:access_token',
    });
    expect(seen!.actor).toBeUndefined();
    expect(seen!.subject.claims.iss).toBe('http://127.0.0.1');
  });

  it('delegation: the actor in act, nested when the subject token already names an actor (RFC 8693 4.1)', async () => {
    const first = expectExchanged(await exchange(x.t, GATEWAY, exchangeForm(await aliceToken(), await clientToken(x.t, GATEWAY))));
    expect(decodeJwt(first.access_token)).toMatchObject({ sub: 'alice', client_id: GATEWAY.id, act: { sub: GATEWAY.id } });
    // The opaque service exchanges the delegated token with its own actor token: an opaque token with the chain.
    const second = expectExchanged(await exchange(x.t, OPAQUE, exchangeForm(first.access_token, await clientToken(x.t, OPAQUE))));
    expect(second.access_token.split('.')).toHaveLength(1);
    const info = await introspect(x.t, second.access_token);
    expect(info.body).toMatchObject({ active: true, sub: 'alice', client_id: OPAQUE.id, act: { sub: OPAQUE.id, act: { sub: GATEWAY.id } } });
    expect(x.policy.seen[1]!.subject.act).toEqual({ sub: GATEWAY.id });
    expect(x.policy.seen[1]!.actor).toMatchObject({ sub: OPAQUE.id, clientId: OPAQUE.id, format: 'opaque' });
    // Impersonation with a delegated token keeps its chain: an exchange never hides an earlier delegation.
    const third = expectExchanged(await exchange(x.t, GATEWAY, exchangeForm(second.access_token)));
    expect(decodeJwt(third.access_token).act).toEqual({ sub: OPAQUE.id, act: { sub: GATEWAY.id } });
    const api = await callApi(x.t, '/api/any', second.access_token);
    expect(api.status, api.text).toBe(200);
  });

  it('introspection of a JWT from a delegation shows act', async () => {
    const body = expectExchanged(await exchange(x.t, GATEWAY, exchangeForm(await aliceToken(), await clientToken(x.t, OPAQUE))));
    const info = await introspect(x.t, body.access_token);
    expect(info.body).toMatchObject({ active: true, token_type: 'Bearer', sub: 'alice', client_id: GATEWAY.id, scope: 'a b', act: { sub: OPAQUE.id } });
  });

  it('the policy narrows the scopes, sets the audience and shortens the lifetime; extra scopes are dropped', async () => {
    x.policy.decideWith = () => ({ scopes: ['a', 'c'], audience: 'https://other.example', ttl: 60 });
    const body = expectExchanged(await exchange(x.t, GATEWAY, exchangeForm(await aliceToken(['a', 'b', 'c']))));
    expect(body.scope).toBe('a');
    expect(body.expires_in).toBe(60);
    expect(decodeJwt(body.access_token)).toMatchObject({ aud: 'https://other.example', scope: 'a' });
    // Issued for another audience: this app's guard refuses it.
    expect((await callApi(x.t, '/api/any', body.access_token)).status).toBe(401);
    expect((await introspect(x.t, body.access_token)).body).toMatchObject({ active: true, aud: 'https://other.example' });
  });

  it('an opaque subject token works too, and the jwt token type takes JWT access tokens', async () => {
    const opaque = await clientToken(x.t, OPAQUE, 'a');
    const body = expectExchanged(await exchange(x.t, GATEWAY, exchangeForm(opaque)));
    expect(decodeJwt(body.access_token)).toMatchObject({ sub: OPAQUE.id, client_id: GATEWAY.id, scope: 'a' });
    const asJwt = { subject_token: await aliceToken(), subject_token_type: 'urn:ietf:params:oauth:token-type:jwt' };
    expect(decodeJwt(expectExchanged(await exchange(x.t, GATEWAY, asJwt)).access_token)).toMatchObject({ sub: 'alice' });
  });

  it('never outlives the subject token', async () => {
    const subject = await aliceToken();
    x.clock.advance(500);
    const body = expectExchanged(await exchange(x.t, GATEWAY, exchangeForm(subject)));
    expect(body.expires_in).toBeLessThanOrEqual(100);
    expect(body.expires_in).toBeGreaterThan(90);
    x.policy.decideWith = () => ({ ttl: 3600 });
    expect(expectExchanged(await exchange(x.t, GATEWAY, exchangeForm(subject))).expires_in).toBeLessThanOrEqual(100);
  });

  it('a configured resource sets aud and narrows the scopes to its own (RFC 8707); the policy sees it', async () => {
    const body = expectExchanged(await exchange(x.t, OPAQUE, exchangeForm(await aliceToken(['a', 'b']), undefined, { resource: API })));
    expect(body.scope).toBe('b');
    expect((await introspect(x.t, body.access_token)).body).toMatchObject({ active: true, aud: API, scope: 'b' });
    expect(x.policy.seen[0]).toMatchObject({ resource: API, defaultAudience: API, scopes: ['b'] });
  });

  it('is listed in grant_types_supported', async () => {
    const metadata = await request(`${x.t.url}/.well-known/oauth-authorization-server`);
    expect(metadata.body.grant_types_supported).toContain(GRANT);
  });
});
