import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSeed } from '../../src/index.js';
import { TestBrowser } from '../support/authorization-flow.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp, OIDC_SCOPES } from '../support/oidc-app.js';
import type { TestApp } from '../support/test-app.js';
import { signIn } from '../oidc/support/logout-helpers.js';
import { registerOk } from '../rfc7591/support.js';

/** A public-looking name that this test's resolver answers with 127.0.0.1 (DNS rebinding, or a hostile zone). */
const REBOUND = 'rebind.authnest-test.example';

type Callback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** Makes every lookup of REBOUND (the callback API, as net and fetch use it) answer 127.0.0.1; returns the undo. */
function resolveReboundToLoopback(): () => void {
  const original = dns.lookup;
  const patched = (hostname: string, options: LookupOptions | number | Callback, callback?: Callback): void => {
    const done = (typeof options === 'function' ? options : callback)!;
    const opts = typeof options === 'object' ? options : {};
    if (hostname !== REBOUND) return void (original as (h: string, o: LookupOptions, c: Callback) => void)(hostname, opts, done);
    if (opts.all) done(null, [{ address: '127.0.0.1', family: 4 }]);
    else done(null, '127.0.0.1', 4);
  };
  dns.lookup = patched as typeof dns.lookup;
  syncBuiltinESMExports();
  return () => {
    dns.lookup = original;
    syncBuiltinESMExports();
  };
}

/** A TCP listener on 127.0.0.1 that counts connections (the internal service an SSRF would reach). */
async function canary(): Promise<{ server: Server; port: number; connections: () => number }> {
  let count = 0;
  const server = createServer((socket) => {
    count += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0, connections: () => count };
}

/**
 * SSRF through back-channel logout (security checklist 89, 90; CVE-2026-4874 class): a dynamically registered client
 * may name any public https host as `backchannel_logout_uri`, and registration checks the name only. A name that
 * resolves to a loopback or private address when the logout token is sent must not be connected to: the address
 * check happens at connect time, as for `jwks_uri`. URIs of clients the operator configured are trusted as before.
 */
describe.each(testMatrix())('back-channel logout SSRF on %s/%s', (platform, db) => {
  let t: TestApp;
  let restore: () => void;
  let listener: Awaited<ReturnType<typeof canary>>;
  let seeded: ClientSeed;

  beforeAll(async () => {
    listener = await canary();
    restore = resolveReboundToLoopback();
    seeded = {
      clientId: 'ssrf-seeded', clientSecret: 'ssrf-seeded-secret-01', grantTypes: ['authorization_code'], scopes: OIDC_SCOPES,
      redirectUris: ['https://seeded.test/cb'], backchannelLogoutUri: `https://${REBOUND}:${listener.port}/bc`,
    };
    t = await bootOidcApp(platform, db, {
      clients: [seeded],
      options: { oidc: { backchannelLogoutTimeoutMs: 300 }, registration: { mode: 'open', grantTypes: ['authorization_code'], rateLimit: { max: 100, window: 900 } } },
    });
  });
  afterAll(async () => {
    restore?.();
    await t?.close();
    await new Promise((resolve) => listener?.server.close(resolve));
  });

  /** Signs alice in to `client` in a new browser, logs her out with the ID token as hint; resolves the canary's count. */
  async function connectionsAfterLogout(client: ClientSeed): Promise<number> {
    const before = listener.connections();
    const login = await signIn(t, client, { browser: new TestBrowser(t) });
    const out = await login.browser.get(`/oauth/logout?id_token_hint=${login.idToken}`);
    expect(out.status, out.text).toBeLessThan(400);
    await new Promise((resolve) => setTimeout(resolve, 400)); // longer than backchannelLogoutTimeoutMs
    return listener.connections() - before;
  }

  it('never connects to a registered client’s logout URI whose name resolves to loopback (checklist 89, 90)', async () => {
    const registered = await registerOk(t, {
      redirect_uris: ['https://ssrf.test/cb'], scope: 'openid profile', backchannel_logout_uri: `https://${REBOUND}:${listener.port}/bc`,
    });
    const client: ClientSeed = { clientId: registered.clientId, clientSecret: registered.secret, scopes: ['openid', 'profile'], redirectUris: ['https://ssrf.test/cb'] };
    expect(await connectionsAfterLogout(client)).toBe(0);
  });

  it('still calls the logout URI of a client the operator configured (the resolver above does reach the canary)', async () => {
    expect(await connectionsAfterLogout(seeded)).toBeGreaterThan(0);
  });
});
