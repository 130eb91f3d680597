import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSeed } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, FakeClock, type TestApp } from '../support/test-app.js';
import { expectTokenResponse } from '../token-endpoint/helpers.js';
import { assertionClaims, assertionTokenRequest, expectAssertionRefused, jwksOf, signWithKey, testKeyPair, withLogs, type TestKeyPair } from './support/assertions.js';
import { Canary, JwksServer } from './support/jwks-server.js';

/** `jwks_uri`s that must never be fetched by default (checklist 89), with what the refusal is logged as. */
function battery(port: number): [uri: string, reason: RegExp][] {
  const local = /points at a non-public address|is not an https URL/;
  /** Names: refused at connect time where they resolve (to a non-public address), unreachable where they do not. */
  const named = /points at a non-public address|could not be reached/;
  return [
    [`https://127.0.0.1:${port}/jwks`, local],
    [`https://localhost:${port}/jwks`, local], // a name resolving to 127.0.0.1 and ::1: refused at connect time
    [`https://localhost.:${port}/jwks`, named], // the absolute name (not every resolver knows it)
    [`https://[::1]:${port}/jwks`, local],
    [`https://[::ffff:127.0.0.1]:${port}/jwks`, local],
    [`https://[::]:${port}/jwks`, local],
    [`https://0.0.0.0:${port}/jwks`, local],
    [`https://2130706433:${port}/jwks`, local],
    [`https://0x7f.1:${port}/jwks`, local],
    [`https://0177.0.0.1:${port}/jwks`, local],
    [`https://127.1:${port}/jwks`, local],
    [`https://10.0.0.5:${port}/jwks`, local],
    [`https://172.16.0.1:${port}/jwks`, local],
    [`https://192.168.1.1:${port}/jwks`, local],
    [`https://100.64.0.1:${port}/jwks`, local],
    [`https://198.18.0.1:${port}/jwks`, local],
    [`https://[fd00::1]:${port}/jwks`, local],
    [`https://[fe80::1]:${port}/jwks`, local],
    ['https://169.254.169.254/latest/meta-data/', local],
    ['https://[::ffff:a9fe:a9fe]/latest/meta-data/', local],
    ['https://metadata.google.internal/computeMetadata/v1/', named],
    [`http://127.0.0.1:${port}/jwks`, local],
    [`http://localhost:${port}/jwks`, local],
  ];
}

/**
 * The SSRF guard of `jwks_uri` fetches (checklist 89, 90; ASVS 13.2.4-5): with `allowPrivateJwksUri` false (the
 * default) no loopback, private, link-local or otherwise non-public address is ever connected to, however it is
 * spelled, and names are checked on the address they resolve to when connecting. A TCP canary on every local
 * address counts connections; each refusal is 401 `invalid_client` with the generic answer, and is logged with
 * its reason but not the URL's content. A second app that allows private addresses proves the canary would count.
 */
describe.each(testMatrix())('jwks_uri SSRF guard on %s/%s', (platform, db) => {
  const clock = new FakeClock();
  let canary: Canary;
  let jwks: JwksServer;
  let guarded: TestApp;
  let open: TestApp;
  let key: TestKeyPair;
  let uris: [string, RegExp][];

  beforeAll(async () => {
    canary = await Canary.start();
    jwks = await JwksServer.start();
    key = await testKeyPair('ES256');
    uris = battery(canary.port);
    const clients: ClientSeed[] = uris.map(([jwksUri], i) => ({ clientId: `ssrf-${i}`, jwksUri, scopes: ['read'] }));
    clients.push({ clientId: 'inline', jwks: jwksOf(key), scopes: ['read'] });
    guarded = await bootTestApp({ platform, db, clock, options: { scopes: ['read'], clients } });
    jwks.set('/good.json', { kind: 'json', body: jwksOf(key) });
    for (const status of [301, 302, 303, 307, 308] as const) jwks.set(`/redirect-${status}`, { kind: 'redirect', status, location: `http://127.0.0.1:${canary.port}/jwks` });
    jwks.set('/redirect-good', { kind: 'redirect', location: '/good.json' });
    open = await bootTestApp({
      platform,
      db,
      clock,
      options: {
        scopes: ['read'],
        clientAssertions: { allowPrivateJwksUri: true, jwksTimeoutMs: 1000 },
        clients: [
          { clientId: 'canary-direct', jwksUri: `http://127.0.0.1:${canary.port}/jwks`, scopes: ['read'] },
          { clientId: 'good', jwksUri: jwks.url('/good.json'), scopes: ['read'] },
          { clientId: 'redirect-good', jwksUri: jwks.url('/redirect-good'), scopes: ['read'] },
          ...[301, 302, 303, 307, 308].map((status) => ({ clientId: `redirect-${status}`, jwksUri: jwks.url(`/redirect-${status}`), scopes: ['read'] })),
        ],
      },
    });
  });
  afterAll(async () => {
    await open?.close();
    await guarded?.close();
    await jwks?.stop();
    await canary?.stop();
  });

  const send = async (app: TestApp, clientId: string, header: Record<string, unknown> = {}) => {
    const assertion = await signWithKey(key, assertionClaims(clientId, clock.now()), header);
    return { assertion, res: await assertionTokenRequest(app, assertion) };
  };

  it('refuses every internal address of the battery without a single connection (89)', async () => {
    const reference = (await send(guarded, 'no-such-client')).res;
    await withLogs(async (logger) => {
      for (const [i, [uri, reason]] of uris.entries()) {
        const before = logger.lines.length;
        const { assertion, res } = await send(guarded, `ssrf-${i}`);
        expectAssertionRefused(res, assertion);
        expect(res.text, uri).toBe(reference.text);
        const logged = logger.lines.slice(before).join('\n');
        expect(logged, uri).toMatch(reason);
        expect(logged, uri).not.toContain(assertion);
      }
    });
    expect(canary.connections).toBe(0);
  });

  it('the same fetch reaches the canary once private addresses are allowed (the canary counts)', async () => {
    const before = canary.connections;
    const { res } = await send(open, 'canary-direct');
    expectAssertionRefused(res);
    expect(canary.connections - before).toBe(1);
  });

  it('never follows a redirect, not even to a good document on the same host (90)', async () => {
    const before = canary.connections;
    for (const status of [301, 302, 303, 307, 308]) {
      expectAssertionRefused((await send(open, `redirect-${status}`)).res);
      expect(jwks.count(`/redirect-${status}`)).toBe(1);
    }
    expect(canary.connections).toBe(before);
    expectAssertionRefused((await send(open, 'redirect-good')).res);
    expect(jwks.count('/good.json')).toBe(0);
    expectTokenResponse((await send(open, 'good')).res);
  });

  it('jku, x5u and jwk in an assertion header are never used (checklist 48)', async () => {
    const before = canary.connections;
    const attacker = await testKeyPair('ES256', key.kid);
    for (const header of [{ jku: `http://127.0.0.1:${canary.port}/jwks` }, { x5u: `http://127.0.0.1:${canary.port}/cert` }, { jwk: attacker.publicJwk }]) {
      const assertion = await signWithKey(attacker, assertionClaims('inline', clock.now()), header);
      expectAssertionRefused(await assertionTokenRequest(guarded, assertion), assertion);
    }
    expect(canary.connections).toBe(before);
    expectTokenResponse((await send(guarded, 'inline', { jku: `http://127.0.0.1:${canary.port}/jwks` })).res);
    expect(canary.connections).toBe(before);
  });
});
