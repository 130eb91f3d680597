/**
 * Introspection fails closed (security checklist item 56 and FL5): when the issuer's introspection endpoint
 * answers 500, HTML, JSON that is not an object, an oversized body, drops the connection, answers later than
 * `timeoutMs` or never, does not listen, or refuses the resource server's credentials (401 for a wrong secret,
 * 403 for a client without `allowIntrospection`), the guard answers 503 `temporarily_unavailable`, never 200; an
 * answer already cached keeps serving until its cache entry expires. Without `introspection`, opaque tokens are
 * refused (401); with it but no endpoint configured or advertised, 503.
 * The issuer is the real authorization server behind a counting proxy; the faults are injected by the proxy on
 * the introspection path only (metadata and keys stay reachable), the credential failures are the real server's.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResourceModuleOptions } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import { FakeClock } from '../support/test-app.js';
import { expectInvalidToken, issueToken } from '../resource/support/resource-app.js';
import type { JsonRewrite, ProxyMode } from './support/counting-proxy.js';
import {
  bootIntrospectionIssuer, INTROSPECT_PATH, introspectingOptions, lastIntrospection, UNLISTED_API,
} from './support/introspection-fixture.js';
import {
  API_AUDIENCE,
  bootResourceServer,
  callApi,
  expectUnavailable,
  METADATA_PATH,
  type IssuerApp,
  type ResourceServerApp,
} from './support/resource-server-app.js';

/**
 * The resource server's `timeoutMs`. Generous: a first introspection on a loaded CI machine (scrypt of the resource
 * server's secret at the issuer, a cold PostgreSQL pool) took over 300 ms once and was answered 503.
 */
const TIMEOUT_MS = 1000;

/** Ways the endpoint breaks, set on the proxy for the introspection path. */
const FAULTS: [string, (as: IssuerApp) => void][] = [
  ...(['error', 'html', 'reset', 'hang'] satisfies Exclude<ProxyMode, 'forward'>[]).map(
    (mode): [string, (as: IssuerApp) => void] => [mode, (as) => (as.proxy.mode = mode)],
  ),
  ['answers after timeoutMs', (as) => (as.proxy.delayMs = 2 * TIMEOUT_MS)],
  ['JSON that is not an object', (as) => (as.proxy.rewrite = ((answer) => [answer]) satisfies JsonRewrite)],
  ['an answer over 256 KiB', (as) => (as.proxy.rewrite = ((answer) => ({ ...(answer as object), padding: 'x'.repeat(300 * 1024) })) satisfies JsonRewrite)],
];

describe.each(testMatrix())('introspection failures at a standalone resource server on %s/%s', (platform, db) => {
  const clock = new FakeClock(Date.UTC(2031, 7, 1, 9, 0, 0));
  let as: IssuerApp;
  let rs: ResourceServerApp;
  const open: ResourceServerApp[] = [];

  beforeAll(async () => {
    as = await bootIntrospectionIssuer(platform, db, clock);
    rs = await boot(introspectingOptions(as, {}, { timeoutMs: TIMEOUT_MS }));
    // Warm up (the issuer's verified-secret cache, its pool): the tests time the endpoint's faults, not a cold start.
    await callApi(rs, '/api/me', await opaqueToken());
  });
  afterEach(() => as.proxy.reset());
  afterAll(async () => {
    for (const app of open) await app.close();
    await as?.close();
  });

  async function boot(options: AuthResourceModuleOptions): Promise<ResourceServerApp> {
    const app = await bootResourceServer({ platform, clock, options });
    open.push(app);
    return app;
  }

  const opaqueToken = () => issueToken(as, 'opaque', 'profile');
  const asked = () => as.proxy.count(INTROSPECT_PATH);

  it.each(FAULTS)('answers 503 while the endpoint is broken (%s), serves cached answers, recovers', async (_, breakIt) => {
    const cached = await opaqueToken();
    expect((await callApi(rs, '/api/me', cached)).status).toBe(200);
    const fresh = await opaqueToken();
    as.proxy.only = INTROSPECT_PATH;
    breakIt(as);
    const before = asked();
    expectUnavailable(await callApi(rs, '/api/me', fresh), as.issuer);
    expect(asked() - before).toBe(1);
    expect((await callApi(rs, '/api/me', cached)).status).toBe(200);
    expect((await callApi(rs, '/api/me', await issueToken(as, 'jwt', 'profile'))).status).toBe(200);
    as.proxy.reset();
    expect((await callApi(rs, '/api/me', fresh)).status).toBe(200);
  });

  it('answers 503 while nothing listens at the issuer, serves cached answers, recovers', async () => {
    const cached = await opaqueToken();
    expect((await callApi(rs, '/api/me', cached)).status).toBe(200);
    const token = await opaqueToken();
    await as.proxy.stop();
    try {
      expectUnavailable(await callApi(rs, '/api/me', token), as.issuer);
      expectUnavailable(await callApi(rs, '/api/me', 'x'.repeat(43)), as.issuer);
      expect((await callApi(rs, '/api/me', cached)).status).toBe(200);
    } finally {
      await as.proxy.restart();
    }
    expect((await callApi(rs, '/api/me', token)).status).toBe(200);
  });

  it('answers 503 when the issuer refuses the configured secret (401 there: a configuration error, not a bad token)', async () => {
    const wrong = await boot(introspectingOptions(as, { clientSecret: 'not-the-secret' }));
    const res = await callApi(wrong, '/api/me', await opaqueToken());
    expectUnavailable(res, as.issuer);
    expect(res.text).not.toContain('not-the-secret');
    const { status, answer } = lastIntrospection(as);
    expect([status, answer.error]).toEqual([401, 'invalid_client']);
  });

  it('answers 503 when the client may not introspect (403 unauthorized_client at the issuer)', async () => {
    const unlisted = await boot(introspectingOptions(as, { ...UNLISTED_API }));
    const res = await callApi(unlisted, '/api/me', await opaqueToken());
    expectUnavailable(res, as.issuer);
    const { status, answer } = lastIntrospection(as);
    expect([status, answer.error]).toEqual([403, 'unauthorized_client']);
  });

  it('refuses opaque tokens with 401 when introspection is not configured, asking nobody', async () => {
    const jwtOnly = await boot({ issuer: as.issuer, audience: API_AUDIENCE });
    const token = await opaqueToken();
    const before = { introspection: asked(), metadata: as.proxy.count(METADATA_PATH) };
    expectInvalidToken(await callApi(jwtOnly, '/api/me', token), as.issuer);
    expect([asked(), as.proxy.count(METADATA_PATH)]).toEqual([before.introspection, before.metadata]);
    expect((await callApi(jwtOnly, '/api/me', await issueToken(as, 'jwt', 'profile'))).status).toBe(200);
  });

  it('answers 503 when no endpoint is configured and the metadata advertises none, asking no endpoint', async () => {
    as.proxy.only = METADATA_PATH;
    as.proxy.rewrite = (metadata) => ({ ...(metadata as object), introspection_endpoint: undefined });
    const discovering = await boot(introspectingOptions(as));
    const before = { introspection: asked(), metadata: as.proxy.count(METADATA_PATH) };
    expectUnavailable(await callApi(discovering, '/api/me', await opaqueToken()), as.issuer);
    expectUnavailable(await callApi(discovering, '/api/me', await opaqueToken()), as.issuer);
    expect([asked() - before.introspection, as.proxy.count(METADATA_PATH) - before.metadata]).toEqual([0, 1]);
    const served = JSON.parse(as.proxy.exchangesFor(METADATA_PATH).at(-1)!.upstream!.body) as Record<string, unknown>;
    expect(served.introspection_endpoint).toBe(`${as.issuer}${INTROSPECT_PATH}`); // the proxy took it out
    expect((await callApi(discovering, '/api/me', await issueToken(as, 'jwt', 'profile'))).status).toBe(200);
  });
});
