import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_EVENTS, OAuthGrant, TokenService, type ClientSeed, type GrantContext, type GrantHandler, type TokenResponse } from '../../src/index.js';
import { basic, postForm } from '../support/http.js';
import { requestToken } from '../support/app-helpers.js';
import { testMatrix } from '../support/matrix.js';
import { TestAccountsModule } from '../support/test-accounts.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';
import { collectorOf, EventCollectorModule, expectAuditMatches, expectEventContext, namesOf, SecretLedger, tokenIdOf, type EventCollector } from './support.js';

const SERVICE: ClientSeed = { clientId: 'svc', clientSecret: 'svc-secret-0000001', grantTypes: ['client_credentials'], scopes: ['posts:read', 'posts:write'] };
const OPAQUE_SERVICE: ClientSeed = { clientId: 'svc-opaque', clientSecret: 'svc-opaque-secret-01', grantTypes: ['client_credentials'], scopes: ['posts:read'], accessTokenFormat: 'opaque' };
const RESOURCE_SERVER: ClientSeed = { clientId: 'rs', clientSecret: 'rs-secret-00000001', grantTypes: [], allowIntrospection: true };
const PUBLIC_CLIENT: ClientSeed = { clientId: 'spa', grantTypes: ['authorization_code'], scopes: ['posts:read'], redirectUris: ['https://spa.test/cb'] };

const DELEGATION = 'urn:example:params:oauth:grant-type:delegation';
const DELEGATE: ClientSeed = { clientId: 'delegate', clientSecret: 'delegate-secret-001', grantTypes: [DELEGATION], scopes: ['posts:read'], accessTokenFormat: 'opaque' };

/** A host's own grant: an opaque token for the subject it names, a response without `scope`. */
@Injectable()
@OAuthGrant()
class DelegationGrant implements GrantHandler {
  readonly grantType = DELEGATION;
  readonly parameters = ['subject'];
  readonly allowsPublicClients = false;

  constructor(private readonly tokens: TokenService) {}

  async handle({ client, params }: GrantContext): Promise<TokenResponse> {
    const issued = await this.tokens.issueAccessToken({ client, subject: params.subject ?? 'nobody', scopes: ['posts:read'] });
    return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn };
  }
}

/** Listeners of the host app that throw (synchronously, or by rejecting) while armed. */
@Injectable()
class FaultyListeners {
  armed: 'none' | 'throw' | 'reject' = 'none';

  constructor(emitter: EventEmitter2) {
    emitter.on(AUTH_EVENTS.tokenIssued, () => {
      if (this.armed === 'throw') throw new Error('a listener bug');
    });
    emitter.on(AUTH_EVENTS.tokenIssued, async () => {
      await Promise.resolve();
      if (this.armed === 'reject') throw new Error('an async listener bug');
    });
  }
}

/**
 * Events of the back-channel endpoints (client_credentials, client authentication, revocation, introspection), as a
 * host subscribed with `@nestjs/event-emitter` receives them and as the audit table stores them; the same through the
 * fast path. No event carries a secret, and a listener that fails cannot fail a request.
 */
describe.each(testMatrix())('token endpoint events on %s/%s', (platform, db) => {
  describe.each([false, true])('fastPath: %s', (fastPath) => {
    let t: TestApp;
    let collector: EventCollector;
    const secrets = new SecretLedger();

    beforeAll(async () => {
      t = await bootTestApp({
        platform,
        db,
        imports: [TestAccountsModule, EventCollectorModule],
        providers: [FaultyListeners, DelegationGrant],
        options: {
          scopes: ['posts:read', 'posts:write'],
          clients: [SERVICE, OPAQUE_SERVICE, RESOURCE_SERVER, PUBLIC_CLIENT, DELEGATE],
          audit: { store: true },
          ...(fastPath ? { fastPath: true } : {}),
        },
      });
      collector = collectorOf(t);
      secrets.add(SERVICE.clientSecret, OPAQUE_SERVICE.clientSecret, RESOURCE_SERVER.clientSecret, DELEGATE.clientSecret, 'wrong-secret-000001');
    });
    afterAll(() => t?.close());

    it('reports a client_credentials token (JWT and opaque): client, grant, scope, token id, format, expiry; no subject', async () => {
      const [received, wildcard] = [collector.events.length, collector.wildcardDeliveries];
      for (const client of [SERVICE, OPAQUE_SERVICE]) {
        const res = await requestToken(t.url, client.clientId, client.clientSecret!, { scope: 'posts:read' });
        expect(res.status, res.text).toBe(200);
        secrets.addTokens(res);
        const [issued, ...more] = collector.named(AUTH_EVENTS.tokenIssued).slice(-1);
        expect(more).toEqual([]);
        expect(issued).toMatchObject({
          clientId: client.clientId,
          grantType: 'client_credentials',
          scope: 'posts:read',
          tokenId: tokenIdOf(res.body.access_token as string),
          format: client.accessTokenFormat ?? 'jwt',
          refreshTokenIssued: false,
          idTokenIssued: false,
          senderConstrained: false,
        });
        expect(issued).not.toHaveProperty('subject');
        expect(Math.abs((issued!.expiresAt as number) - (Math.floor(Date.now() / 1000) + (res.body.expires_in as number)))).toBeLessThanOrEqual(2);
        expectEventContext(issued!, res);
      }
      // `@OnEvent('authnest.**')` gets them too (subscribed at bootstrap: after the events of the boot).
      expect(collector.wildcardDeliveries - wildcard).toBe(collector.events.length - received);
    });

    it("reports a host's own grant like the others: its subject and scope come from the token it minted", async () => {
      let token = '';
      const events = await collector.during(async () => {
        const res = await postForm(`${t.url}/oauth/token`, { grant_type: DELEGATION, subject: 'user-42' }, { authorization: basic('delegate', DELEGATE.clientSecret!) });
        expect(res.status, res.text).toBe(200);
        secrets.addTokens(res);
        token = res.body.access_token as string;
      });
      expect(namesOf(events)).toEqual([AUTH_EVENTS.tokenIssued]);
      expect(events[0]!.event).toMatchObject({ clientId: 'delegate', subject: 'user-42', grantType: DELEGATION, scope: 'posts:read', tokenId: tokenIdOf(token), format: 'opaque' });
    });

    it('reports failed client authentication with the claimed client, method, endpoint and reason, never the secret', async () => {
      const cases: [() => Promise<unknown>, Record<string, unknown>][] = [
        [() => requestToken(t.url, 'svc', 'wrong-secret-000001'), { clientId: 'svc', method: 'client_secret_basic', endpoint: '/oauth/token', reason: 'bad_secret' }],
        [() => requestToken(t.url, 'nobody', 'wrong-secret-000001'), { clientId: 'nobody', method: 'client_secret_basic', endpoint: '/oauth/token', reason: 'unknown_client' }],
        [
          () => postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials', client_id: 'svc', client_secret: 'wrong-secret-000001' }),
          { clientId: 'svc', method: 'client_secret_post', endpoint: '/oauth/token', reason: 'bad_secret' },
        ],
        [() => postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials' }), { method: 'none', endpoint: '/oauth/token', reason: 'missing_credentials' }],
        [() => postForm(`${t.url}/oauth/token?x=1`, { grant_type: 'client_credentials', client_id: 'svc' }), { clientId: 'svc', method: 'none', endpoint: '/oauth/token', reason: 'missing_credentials' }],
        [
          () => postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: 'Basic !!!' }),
          { method: 'client_secret_basic', endpoint: '/oauth/token', reason: 'malformed_credentials' },
        ],
        [
          () => postForm(`${t.url}/oauth/revoke`, { token: 'whatever-token-value' }, { authorization: basic('rs', 'wrong-secret-000001') }),
          { clientId: 'rs', method: 'client_secret_basic', endpoint: '/oauth/revoke', reason: 'bad_secret' },
        ],
        [
          () => postForm(`${t.url}/oauth/introspect`, { token: 'whatever-token-value', client_id: 'spa' }),
          { clientId: 'spa', method: 'none', endpoint: '/oauth/introspect', reason: 'method_not_allowed' },
        ],
        [
          () => requestToken(t.url, `bad\u0001id`, 'wrong-secret-000001'),
          { method: 'client_secret_basic', endpoint: '/oauth/token', reason: 'unknown_client' },
        ],
      ];
      for (const [send, expected] of cases) {
        const events = await collector.during(send);
        expect(namesOf(events), JSON.stringify(expected)).toEqual([AUTH_EVENTS.clientAuthenticationFailed]);
        expect(events[0]!.event).toEqual({ ...expected, at: expect.any(Number), ...(events[0]!.event.requestId ? { requestId: expect.any(String) } : {}) });
      }
    });

    it('reports a revoked access token once (a second revocation changes nothing, reports nothing)', async () => {
      const res = await requestToken(t.url, 'svc', SERVICE.clientSecret!, { scope: 'posts:write' });
      secrets.addTokens(res);
      const token = res.body.access_token as string;
      const revoke = () => postForm(`${t.url}/oauth/revoke`, { token }, { authorization: basic('svc', SERVICE.clientSecret!) });
      let revoked: Awaited<ReturnType<typeof revoke>> | undefined;
      const events = await collector.during(async () => (revoked = await revoke()));
      expect(revoked!.status).toBe(200);
      expect(namesOf(events)).toEqual([AUTH_EVENTS.tokenRevoked]);
      expect(events[0]!.event).toMatchObject({ clientId: 'svc', tokenType: 'access_token', tokenId: tokenIdOf(token), reason: 'revocation-endpoint' });
      expect(events[0]!.event).not.toHaveProperty('subject');
      expectEventContext(events[0]!.event, revoked);
      expect(namesOf(await collector.during(revoke))).toEqual([]);
    });

    it('answers the request when a listener throws or rejects: the other listeners still get the event', async () => {
      const faulty = t.app.get(FaultyListeners);
      for (const mode of ['throw', 'reject'] as const) {
        faulty.armed = mode;
        try {
          const events = await collector.during(async () => {
            const res = await requestToken(t.url, 'svc', SERVICE.clientSecret!);
            expect(res.status, res.text).toBe(200);
            secrets.addTokens(res);
          });
          expect(namesOf(events)).toEqual([AUTH_EVENTS.tokenIssued]);
        } finally {
          faulty.armed = 'none';
        }
      }
      // Let a rejected listener's promise settle inside this test (an unhandled rejection would fail the run).
      await new Promise((resolve) => setTimeout(resolve, 20));
    });

    it('stores exactly the events the listener received, and no event or row holds a secret', async () => {
      const stored = await expectAuditMatches(t, collector.events);
      expect(stored.some((record) => record.name === AUTH_EVENTS.keyRotated && record.event.source === 'schedule')).toBe(true);
      const seeded = stored.flatMap((record) => (record.name === AUTH_EVENTS.clientRegistered && record.event.source === 'seed' ? [record.event.clientId] : []));
      expect(seeded.sort()).toEqual(['delegate', 'rs', 'spa', 'svc', 'svc-opaque']);
      expect(secrets.size).toBeGreaterThan(8);
      await secrets.expectNoneIn(collector.events, stored);
    });
  });
});
