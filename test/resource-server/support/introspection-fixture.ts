import { randomBytes } from 'node:crypto';
import type { AuthResourceModuleOptions, IntrospectionOptions } from '../../../src/index.js';
import type { FakeClock } from '../../support/test-app.js';
import { IntrospectionServer } from './introspection-server.js';
import { API_AUDIENCE, type IssuerApp } from './resource-server-app.js';

/** The resource server's client at the (stand-in) introspection endpoint; the secret needs form-encoding in Basic. */
export const INTROSPECTOR = { clientId: 'orders-api', clientSecret: 'intro secret:+/%é&=' };

/** Starts the TEST-ONLY introspection stand-in (see introspection-server.ts) for the resource server's client. */
export function startIntrospectionServer(clock: FakeClock): Promise<IntrospectionServer> {
  return IntrospectionServer.start(clock, INTROSPECTOR);
}

/** Resource server options: the issuer `as`, introspection at the stand-in. */
export function introspectingOptions(
  as: IssuerApp,
  server: IntrospectionServer,
  introspection: Partial<IntrospectionOptions> = {},
  extra: Partial<AuthResourceModuleOptions> = {},
): AuthResourceModuleOptions {
  return {
    issuer: as.issuer,
    audience: API_AUDIENCE,
    introspection: { endpoint: server.endpoint, ...INTROSPECTOR, ...introspection },
    ...extra,
  };
}

/**
 * The members of an active RFC 7662 answer for an opaque token the authorization server issued to its `rs-opaque`
 * client (what authnest's endpoint is expected to say), with `overrides` (`undefined` removes a member).
 */
export function activeAnswer(as: IssuerApp, clock: FakeClock, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = clock.nowSeconds();
  const answer: Record<string, unknown> = {
    scope: 'profile',
    client_id: 'rs-opaque',
    sub: 'rs-opaque',
    aud: API_AUDIENCE,
    iss: as.issuer,
    exp: now + 600,
    iat: now,
    jti: randomBytes(8).toString('hex'),
    token_type: 'Bearer',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(answer).filter(([, value]) => value !== undefined));
}
