import type { ModuleMetadata, Type } from '@nestjs/common';
import type { AuthModuleOptions, ClientSeed } from '../../src/index.js';
import { authorizeWithLogin, clientRedirect, pkce, tableRows, TestBrowser } from './authorization-flow.js';
import type { Database, Platform } from './matrix.js';
import { TestAccountsModule } from './test-accounts.js';
import { bootTestApp, type FakeClock, type TestApp } from './test-app.js';

export const SCOPES = ['profile', 'email', 'posts:read'];

/** A confidential web client (PKCE still required by default). */
export const WEB: ClientSeed = {
  clientId: 'web',
  clientSecret: 'web-secret-0001',
  name: 'Web App',
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: SCOPES,
  defaultScopes: ['profile'],
  redirectUris: ['https://client.test/cb'],
};

/** A public single-page client. */
export const SPA: ClientSeed = {
  clientId: 'spa',
  name: 'Single Page App',
  grantTypes: ['authorization_code'],
  scopes: SCOPES,
  redirectUris: ['https://spa.test/cb'],
};

/** A first-party public client: no consent page. */
export const FIRST: ClientSeed = {
  clientId: 'first',
  name: 'Our Own App',
  grantTypes: ['authorization_code'],
  scopes: SCOPES,
  redirectUris: ['https://first.test/cb'],
  firstParty: true,
};

export interface FlowAppSpec {
  options?: Partial<AuthModuleOptions>;
  clients?: ClientSeed[];
  clock?: FakeClock;
  controllers?: Type[];
  /** Modules the host app imports besides the test accounts (e.g. `EventEmitterModule`). */
  imports?: ModuleMetadata['imports'];
}

/** An app with the browser flow: scopes, the clients above (or `clients`), and the in-memory AccountService. */
export function bootFlowApp(platform: Platform, db: Database, spec: FlowAppSpec = {}): Promise<TestApp> {
  return bootTestApp({
    platform,
    db,
    clock: spec.clock,
    controllers: spec.controllers,
    imports: [TestAccountsModule, ...(spec.imports ?? [])],
    options: { scopes: SCOPES, clients: spec.clients ?? [WEB, SPA, FIRST], ...spec.options },
  });
}

/** Authorization request parameters for a client, with a fresh S256 challenge. */
export function codeRequest(client: ClientSeed, challenge: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: client.redirectUris![0]!,
    scope: 'profile email',
    state: 'st-123',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
}

/** A browser with alice's session (logged in once through the builtin pages for the first-party client). */
export async function signedInBrowser(t: TestApp, username = 'alice', password = `${username}-password`): Promise<TestBrowser> {
  const browser = new TestBrowser(t);
  const done = await authorizeWithLogin(browser, codeRequest(FIRST, pkce().challenge), { username, password });
  clientRedirect(done, FIRST.redirectUris![0]!);
  return browser;
}

/** Counts of what an authorization request may have created. */
export async function createdRows(t: TestApp): Promise<{ codes: number; interactions: number }> {
  return {
    codes: (await tableRows(t.app, 'AuthorizationCodeEntity')).length,
    interactions: (await tableRows(t.app, 'InteractionEntity')).length,
  };
}
