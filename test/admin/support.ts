import { EventEmitterModule, EventEmitter2 } from '@nestjs/event-emitter';
import { expect } from 'vitest';
import { AuthAdminService, type AuthModuleOptions, type ClientSeed } from '../../src/index.js';
import { MeController } from '../support/app-helpers.js';
import { authorizeWithLogin, clientRedirect, pkce } from '../support/authorization-flow.js';
import { codeRequest, SCOPES, WEB } from '../support/flow-app.js';
import { basic, postForm, type TestResponse } from '../support/http.js';
import type { Database, Platform } from '../support/matrix.js';
import { TestAccountsModule } from '../support/test-accounts.js';
import { bootTestApp, type FakeClock, type TestApp } from '../support/test-app.js';
import { TestBrowser } from '../support/authorization-flow.js';

/** A resource server's client: introspects the tokens the tests revoke. */
export const RS: ClientSeed & { clientSecret: string } = { clientId: 'rs', clientSecret: 'rs-secret-00000001', grantTypes: [], allowIntrospection: true };

/** An event as the host's EventEmitter2 received it. */
export interface SeenEvent {
  name: string;
  payload: Record<string, unknown>;
}

/** An app with the browser flow (alice, WEB), an introspecting client, `/me`, and `@nestjs/event-emitter` recording every event. */
export async function bootAdminApp(platform: Platform, db: Database, spec: { options?: Partial<AuthModuleOptions>; clock?: FakeClock } = {}): Promise<{ t: TestApp; events: SeenEvent[] }> {
  const t = await bootTestApp({
    platform,
    db,
    clock: spec.clock,
    controllers: [MeController],
    imports: [TestAccountsModule, EventEmitterModule.forRoot()],
    options: { scopes: SCOPES, clients: [WEB, RS], ...spec.options },
  });
  const events: SeenEvent[] = [];
  t.app.get(EventEmitter2).onAny((name: string | string[], payload: unknown) => {
    events.push({ name: String(name), payload: payload as Record<string, unknown> });
  });
  return { t, events };
}

/** The app's admin service, as a host injects it. */
export function adminOf(t: TestApp): AuthAdminService {
  return t.app.get(AuthAdminService);
}

/** POST /oauth/introspect as RS. */
export function introspect(t: TestApp, token: string): Promise<TestResponse> {
  return postForm(`${t.url}/oauth/introspect`, { token }, { authorization: basic(RS.clientId, RS.clientSecret) });
}

/** Asserts introspection answers `active`. */
export async function expectActive(t: TestApp, token: string, active: boolean): Promise<void> {
  const res = await introspect(t, token);
  expect(res.status, res.text).toBe(200);
  expect(res.body.active, res.text).toBe(active);
}

/** alice's tokens for WEB (authorization code flow), with a refresh token. */
export async function aliceTokens(t: TestApp, client: ClientSeed = WEB): Promise<{ access: string; refresh: string }> {
  const { verifier, challenge } = pkce();
  const done = await authorizeWithLogin(new TestBrowser(t), codeRequest(client, challenge));
  const code = clientRedirect(done, client.redirectUris![0]!).get('code')!;
  const form = { grant_type: 'authorization_code', code, redirect_uri: client.redirectUris![0]!, code_verifier: verifier };
  const res = await postForm(`${t.url}/oauth/token`, form, { authorization: basic(client.clientId, client.clientSecret!) });
  expect(res.status, res.text).toBe(200);
  expect(res.body.refresh_token, res.text).toBeDefined();
  return { access: String(res.body.access_token), refresh: String(res.body.refresh_token) };
}

/** A refresh-token request for WEB. */
export function refresh(t: TestApp, refreshToken: string, client: ClientSeed = WEB): Promise<TestResponse> {
  return postForm(`${t.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: refreshToken }, { authorization: basic(client.clientId, client.clientSecret!) });
}

/** Asserts no event payload holds any of `secrets`. */
export function expectNoSecretIn(events: readonly SeenEvent[], secrets: readonly string[]): void {
  const text = JSON.stringify(events);
  for (const secret of secrets) expect(text).not.toContain(secret);
}
