import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_EVENTS } from '../../src/index.js';
import { requestToken } from '../support/app-helpers.js';
import { SCOPES } from '../support/flow-app.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';
import { INITIAL_ACCESS_TOKEN, manage, registerOk } from '../rfc7591/support.js';
import { collectorOf, EventCollectorModule, expectAuditMatches, expectEventContext, namesOf, SecretLedger, type EventCollector } from './support.js';

const METADATA = { grant_types: ['client_credentials'], scope: 'posts:read' };

/**
 * Events of dynamic client registration (RFC 7591) and client management (RFC 7592): a client registered, updated
 * and deleted through the endpoints (source `registration-endpoint`), and registration access tokens that do not open
 * a client's configuration reported as failed client authentication.
 */
describe.each(testMatrix())('registration events on %s/%s', (platform, db) => {
  let t: TestApp;
  let collector: EventCollector;
  const secrets = new SecretLedger();

  beforeAll(async () => {
    t = await bootTestApp({
      platform,
      db,
      imports: [EventCollectorModule],
      options: {
        scopes: SCOPES,
        accessToken: { format: 'opaque' },
        registration: { mode: 'initial-access-token', initialAccessTokens: [INITIAL_ACCESS_TOKEN], grantTypes: ['client_credentials'], rateLimit: { max: 100_000, window: 900 } },
        audit: { store: true },
      },
    });
    collector = collectorOf(t);
    secrets.add(INITIAL_ACCESS_TOKEN);
  });
  afterAll(() => t?.close());

  it('reports a registration, the tokens of the new client, an update, refused tokens, and the deletion', async () => {
    let registered: Awaited<ReturnType<typeof registerOk>> | undefined;
    const created = await collector.during(async () => (registered = await registerOk(t, METADATA)));
    const { clientId, secret, token, uri } = registered!;
    secrets.add(secret, token);
    expect(namesOf(created)).toEqual([AUTH_EVENTS.clientRegistered]);
    expect(created[0]!.event).toMatchObject({ clientId, source: 'registration-endpoint' });
    expectEventContext(created[0]!.event);

    const issued = await collector.during(async () => {
      const res = await requestToken(t.url, clientId, secret!, { scope: 'posts:read' });
      expect(res.status, res.text).toBe(200);
      secrets.addTokens(res);
    });
    expect(issued[0]!.event).toMatchObject({ clientId, grantType: 'client_credentials', format: 'opaque' });

    const other = await registerOk(t, METADATA);
    secrets.add(other.secret, other.token);
    const endpoint = `/oauth/register/${clientId}`;
    const refusals: [string | undefined, string][] = [
      ['not-a-registration-access-token-0123', 'invalid_token'],
      [undefined, 'missing_credentials'],
      [other.token, 'wrong_client'],
    ];
    for (const [presented, reason] of refusals) {
      const events = await collector.during(async () => expect((await manage(uri, 'GET', presented)).status).toBe(401));
      expect(namesOf(events), reason).toEqual([AUTH_EVENTS.clientAuthenticationFailed]);
      expect(events[0]!.event).toMatchObject({ clientId, method: 'registration_access_token', endpoint, reason });
    }

    let updatedToken: string | undefined;
    const updated = await collector.during(async () => {
      const res = await manage(uri, 'PUT', token, { ...METADATA, client_id: clientId });
      expect(res.status, res.text).toBe(200);
      updatedToken = res.body.registration_access_token as string;
      secrets.add(updatedToken, res.body.client_secret);
    });
    expect(namesOf(updated)).toEqual([AUTH_EVENTS.clientUpdated]);
    expect(updated[0]!.event).toMatchObject({ clientId, source: 'registration-endpoint', change: 'updated' });

    const deleted = await collector.during(async () => expect((await manage(uri, 'DELETE', updatedToken)).status).toBe(204));
    expect(namesOf(deleted)).toEqual([AUTH_EVENTS.clientUpdated]);
    expect(deleted[0]!.event).toMatchObject({ clientId, source: 'registration-endpoint', change: 'deleted' });
  });

  it('stores exactly the events the listener received, and no event or row holds a secret', async () => {
    const stored = await expectAuditMatches(t, collector.events);
    await secrets.expectNoneIn(collector.events, stored);
  });
});
